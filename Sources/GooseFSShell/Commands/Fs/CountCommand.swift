import GooseFSClient
import GooseFSCore

/// `fs count [-h] <path>`: Fluid's UFS total (`goosefs fs count /`). The folder count includes
/// the queried folder itself; a file counts as `1 0 <length>`.
enum CountCommand {
  static let spec = CommandSpec(
    name: "count",
    usage: "count [-h] <path>",
    description: "Displays the number of files and directories matching the specified prefix. "
      + "Specify -h to display the folder size in a human-readable format.",
    options: [.flag("h")],
    arguments: 1...1,
    run: run
  )

  @Sendable
  static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> Int32 {
    let path = try ShellPath.normalize(arguments.positionals[0])
    let fileSystem = try await context.fileSystem()
    let status = try await fileSystem.getStatus(path, syncIntervalMs: nil)
    var files: Int64 = 0
    var folders: Int64 = 0
    var bytes: Int64 = 0
    if status.isDirectory {
      folders = 1
      for entry in try await fileSystem.listStatus(path, recursive: true, syncIntervalMs: nil) {
        if entry.isDirectory {
          folders += 1
        } else {
          files += 1
          bytes += entry.length
        }
      }
    } else {
      files = 1
      bytes = status.length
    }
    for line in CountLines.format(files: files, folders: folders, bytes: bytes, humanReadable: arguments.has("h")) {
      context.output.line(line)
    }
    return ExitCode.success
  }
}
