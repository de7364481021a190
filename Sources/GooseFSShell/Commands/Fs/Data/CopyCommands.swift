import Foundation
import GooseFSClient
import GooseFSCore

/// `copyFromLocal`, `copyToLocal` and `cp`. Progress is one line per file as it completes
/// (`Copied <src> to <dst>`, or `Failed to copy <src> to <dst>: <reason>`), then one summary
/// line; the exit code is 0 only when every file was copied.
enum CopyCommands {
  static let copyFromLocal = CommandSpec(
    name: "copyFromLocal",
    usage: "copyFromLocal [--thread <num>] [--buffersize <bytes>] <src> <remoteDst>",
    description: "Copies a file or a directory from local filesystem to GooseFS filesystem in parallel "
      + "at file level. New files are written with goosefs.user.file.writetype.default.",
    options: threadAndBufferOptions,
    arguments: 2...2
  ) { arguments, context in
    let settings = try settings(arguments, context)
    let source = CopyLocation.localArgument(arguments.positionals[0])
    let destination = try ShellPath.normalize(arguments.positionals[1])
    return try await run(from: source, to: .goosefs(destination), recursive: true, settings, context)
  }

  static let copyToLocal = CommandSpec(
    name: "copyToLocal",
    usage: "copyToLocal [--thread <num>] [--buffersize <bytes>] <src> <localDst>",
    description: "Copies a file or a directory from the GooseFS filesystem to the local filesystem. "
      + "A localDst of - writes the file's contents to stdout (errors then go to stderr).",
    options: threadAndBufferOptions,
    arguments: 2...2,
    errorStream: { arguments in
      guard let arguments, isStandardOutput(arguments.positionals[1]) else { return .standardOutput }
      return .standardError
    }
  ) { arguments, context in
    let settings = try settings(arguments, context)
    let source = try ShellPath.normalize(arguments.positionals[0])
    if isStandardOutput(arguments.positionals[1]) {
      let (fileSystem, status) = try await ReadCommands.openableFile(source, context)
      try await ReadCommands.printFile(status.path, in: fileSystem, chunkSize: settings.chunkSize, context)
      return ExitCode.success
    }
    let destination = CopyLocation.localArgument(arguments.positionals[1])
    return try await run(from: .goosefs(source), to: destination, recursive: true, settings, context)
  }

  /// `-` as the local side of `copyToLocal` means stdout, as for `hdfs dfs -get` and most Unix
  /// tools; a local file really named `-` is still reachable as `./-`.
  private static func isStandardOutput(_ argument: String) -> Bool { argument == "-" }

  static let cp = CommandSpec(
    name: "cp",
    usage: "cp [-R] [--thread <num>] [--buffersize <bytes>] <src> <dst>",
    description: "Copies a file or a directory in the GooseFS filesystem or between local filesystem "
      + "and GooseFS filesystem. The -R flag is needed to copy directories in the GooseFS "
      + "filesystem. Local Path with schema \"file\".",
    options: [.flag("R")] + threadAndBufferOptions,
    arguments: 2...2
  ) { arguments, context in
    let settings = try settings(arguments, context)
    let source = try CopyLocation.parse(arguments.positionals[0])
    let destination = try CopyLocation.parse(arguments.positionals[1])
    return try await run(from: source, to: destination, recursive: arguments.has("R"), settings, context)
  }

  private static let threadAndBufferOptions: [OptionSpec] = [
    .value("thread", "--thread", "-t"), .value("buffersize", "--buffersize"),
  ]

  /// 8MB, Alluxio's copyFromLocal buffer. (Alluxio reads 64MB at a time for copyToLocal; with
  /// files copied in parallel that is a lot of memory for no gain, so both directions use 8MB.)
  static let defaultChunkSize = 8 << 20
  /// Alluxio's default: two copies per processor.
  static var defaultConcurrency: Int { 2 * ProcessInfo.processInfo.activeProcessorCount }

  private static func settings(_ arguments: ParsedArguments, _ context: CommandContext) throws -> CopySettings {
    let concurrency = try arguments.integer("thread", minimum: 1, default: defaultConcurrency)
    var chunkSize = defaultChunkSize
    if let bytes = try arguments.byteSize("buffersize", flag: "--buffersize") {
      guard bytes > 0, bytes <= Int64(Int32.max) else {
        throw ShellFailure.usage("Invalid value \(bytes) for --buffersize: expected 1 byte to 2GB")
      }
      chunkSize = Int(bytes)
    }
    return CopySettings(chunkSize: chunkSize, concurrency: concurrency, writeType: try context.writeType())
  }

  private static func run(
    from source: CopyLocation, to destination: CopyLocation, recursive: Bool, _ settings: CopySettings,
    _ context: CommandContext
  ) async throws -> Int32 {
    switch (source, destination) {
    case (.local(let from), .goosefs(let to)):
      let copy = LocalToGooseFSCopy(fileSystem: try await context.fileSystem(), settings: settings, output: context.output)
      return try await copy.run(from: from, to: to)
    case (.goosefs(let from), .local(let to)):
      let copy = GooseFSToLocalCopy(fileSystem: try await context.fileSystem(), settings: settings, output: context.output)
      return try await copy.run(from: from, to: to)
    case (.goosefs(let from), .goosefs(let to)):
      let copy = GooseFSCopy(fileSystem: try await context.fileSystem(), settings: settings, output: context.output)
      return try await copy.run(from: from, to: to, recursive: recursive)
    case (.local, .local):
      throw ShellFailure.message(
        "Schemes must be either file or goosefs, and at most one file scheme is allowed.")
    }
  }
}
