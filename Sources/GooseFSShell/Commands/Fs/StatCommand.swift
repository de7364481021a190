import GooseFSClient
import GooseFSCore

/// `fs stat [-f FORMAT] <path>`.
enum StatCommand {
  static let spec = CommandSpec(
    name: "stat",
    usage: "stat [-f <format>] <path>",
    description: "Displays info for the specified path both file and directory. Specify -f to "
      + "display info in given format: \"%N\": name of the file; \"%z\": size of file in bytes; "
      + "\"%u\": owner; \"%g\": group name of owner; \"%y\" or \"%Y\": modification time, %y shows "
      + "'yyyy-MM-dd HH:mm:ss', %Y shows milliseconds since January 1, 1970 UTC; \"%b\": number of "
      + "blocks allocated for file",
    options: [.value("f", "-f")],
    arguments: 1...1,
    run: run
  )

  @Sendable
  static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> Int32 {
    let path = try ShellPath.normalize(arguments.positionals[0])
    let status = try await context.fileSystem().getStatus(path, syncIntervalMs: nil)
    if let format = arguments.value("f") {
      context.output.line(FileInfoText.custom(format, status, timeZone: context.timeZone))
      return ExitCode.success
    }
    if status.isDirectory {
      context.output.line("\(arguments.positionals[0]) is a directory path.")
      context.output.line(FileInfoText.dump(status))
    } else {
      context.output.line("\(arguments.positionals[0]) is a file path.")
      context.output.line(FileInfoText.dump(status))
      if status.blockIDs.isEmpty {
        context.output.line("This file does not contain any blocks.")
      } else {
        context.output.line("Containing the following blocks: ")
        for (index, block) in status.blockIDs.enumerated() {
          // The last block holds only what is left of the file.
          let length = min(status.blockSizeBytes, status.length - Int64(index) * status.blockSizeBytes)
          context.output.line("BlockInfo{id=\(block), length=\(length)}")
        }
      }
    }
    return ExitCode.success
  }
}
