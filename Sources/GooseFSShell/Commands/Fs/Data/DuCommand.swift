import GooseFSClient
import GooseFSCore

/// `du [-s] [-h] [--memory] <path>` (Alluxio DuCommand): a header, then one row per file
/// below the path sorted by path, or with `-s` a single row for the whole path. Cached amounts
/// come from each file's in-GooseFS and in-memory percentages.
enum DuCommand {
  static let spec = CommandSpec(
    name: "du",
    usage: "du [-h|-s|--memory] <path>",
    description: "Displays the total size and the in GooseFS size of the specified file or directory. "
      + "Specify -s to display the aggregate summary, -h for human-readable sizes, --memory (or -m) to "
      + "add the in-memory size.",
    options: [.flag("s"), .flag("h"), .flag("memory", "--memory", "-m")],
    arguments: 1...1
  ) { arguments, context in
    let path = try ShellPath.normalize(arguments.positionals[0])
    let fileSystem = try await context.fileSystem()
    let status = try await fileSystem.getStatus(path, syncIntervalMs: nil)
    let files = try await FileTree.files(under: status, in: fileSystem)
    let humanReadable = arguments.has("h")
    let memory = arguments.has("memory")
    context.output.line(DuLines.header(memory: memory))
    let rows = files.map { file in
      DuLines.Row(
        length: file.length,
        inGooseFSBytes: DuLines.portion(of: file.length, percent: file.inGooseFSPercentage),
        inMemoryBytes: DuLines.portion(of: file.length, percent: file.inMemoryPercentage),
        path: file.path)
    }
    if arguments.has("s") {
      // Alluxio sums length × percentage before dividing, so partial files round once.
      let total = DuLines.Row(
        length: files.reduce(0) { $0 + $1.length },
        inGooseFSBytes: files.reduce(0) { $0 + $1.length * Int64($1.inGooseFSPercentage) } / 100,
        inMemoryBytes: files.reduce(0) { $0 + $1.length * Int64($1.inMemoryPercentage) } / 100,
        path: path)
      context.output.line(DuLines.format(total, humanReadable: humanReadable, memory: memory))
    } else {
      for row in rows { context.output.line(DuLines.format(row, humanReadable: humanReadable, memory: memory)) }
    }
    return ExitCode.success
  }
}
