import GooseFSClient
import GooseFSCore

/// `fs ls`: Alluxio LsCommand. Listing a file prints that file; `-d` prints a directory itself;
/// `-f` forces a metadata sync with the under store (sync interval 0) for this call.
enum LsCommand {
  static let spec = CommandSpec(
    name: "ls",
    usage: "ls [-d|-f|-p|-R|-h|--sort=option|--timestamp=option|-r] <path> ...",
    description: "Displays information for all files and directories directly under the specified "
      + "paths, including permission, owner, group, size (bytes for files or the number of children "
      + "for directories), persistence state, last modified time, the percentage of content already "
      + "in GooseFS and the path in order.",
    options: [
      .flag("d"), .flag("f"), .flag("h"), .flag("p"), .flag("R"), .flag("r"),
      .value("sort"), .value("timestamp"),
    ],
    arguments: 1...Int.max,
    run: run
  )

  @Sendable
  static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> Int32 {
    let sortName = arguments.value("sort") ?? LsSortField.path.rawValue
    guard let sortField = LsSortField(rawValue: sortName) else {
      throw ShellFailure.usage("Invalid sort option `\(sortName)` for --sort")
    }
    let timestampName = arguments.value("timestamp") ?? LsTimestamp.lastModificationTime.rawValue
    guard let timestamp = LsTimestamp(rawValue: timestampName) else {
      throw ShellFailure.usage("Unrecognized timestamp option \(timestampName)")
    }
    let syncInterval: Int64? = arguments.has("f") ? 0 : nil
    let pinnedOnly = arguments.has("p")
    let datePattern = context.datePattern

    func emit(_ info: FileInfo) {
      if pinnedOnly && !info.pinned { return }
      context.output.line(
        LsLine.format(
          info, humanReadable: arguments.has("h"), datePattern: datePattern, timeZone: context.timeZone,
          timestamp: timestamp))
    }

    let fileSystem = try await context.fileSystem()
    for argument in arguments.positionals {
      let path = try ShellPath.normalize(argument)
      let status = try await fileSystem.getStatus(path, syncIntervalMs: syncInterval)
      if arguments.has("d") || !status.isDirectory {
        emit(status)
        continue
      }
      let children = try await fileSystem.listStatus(
        path, recursive: arguments.has("R"), syncIntervalMs: syncInterval)
      for child in sortField.sorted(children, reversed: arguments.has("r")) {
        emit(child)
      }
    }
    return ExitCode.success
  }
}
