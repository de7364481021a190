import GooseFSClient
import GooseFSCore

/// `cat`, `head`, `tail`, `checksum`: commands that read one file's bytes. Contents go to stdout
/// unchanged (no trailing newline is added), as Alluxio's `System.out.write`; the errors of
/// `cat`, `head` and `tail` go to stderr, so a read failing half-way leaves only file bytes in
/// the stream a script redirected (`checksum` prints text and keeps Alluxio's stdout errors).
enum ReadCommands {
  static let cat = CommandSpec(
    name: "cat",
    usage: "cat <path>",
    description: "Prints the file's contents to the console.",
    arguments: 1...1,
    errorStream: dataErrors
  ) { arguments, context in
    let (fileSystem, status) = try await openableFile(arguments.positionals[0], context)
    try await printFile(status.path, in: fileSystem, chunkSize: chunkSize, context)
    return ExitCode.success
  }

  static let head = CommandSpec(
    name: "head",
    usage: "head [-c <bytes>] <path>",
    description: "Prints the file's first n bytes (by default, 1KB) to the console.",
    options: [.value("c", "-c")],
    arguments: 1...1,
    errorStream: dataErrors
  ) { arguments, context in
    let count = try byteCount(arguments)
    let (fileSystem, status) = try await openableFile(arguments.positionals[0], context)
    let wanted = Int(min(count, status.length))
    try await printRange(of: status, in: fileSystem, from: 0, count: wanted, context)
    return ExitCode.success
  }

  static let tail = CommandSpec(
    name: "tail",
    usage: "tail [-c <bytes>] <path>",
    description: "Prints the file's last n bytes (by default, 1KB) to the console.",
    options: [.value("c", "-c")],
    arguments: 1...1,
    errorStream: dataErrors
  ) { arguments, context in
    let count = try byteCount(arguments)
    let (fileSystem, status) = try await openableFile(arguments.positionals[0], context)
    let wanted = min(count, status.length)
    try await printRange(of: status, in: fileSystem, from: status.length - wanted, count: Int(wanted), context)
    return ExitCode.success
  }

  static let checksum = CommandSpec(
    name: "checksum",
    usage: "checksum <GooseFS path>",
    description: "Calculates the md5 checksum of a file in the GooseFS filesystem.",
    arguments: 1...1
  ) { arguments, context in
    let (fileSystem, status) = try await openableFile(arguments.positionals[0], context)
    // NO_CACHE like Alluxio: verifying a file should not fill the cache with it.
    var digest = MD5()
    try await StreamTransfer.withOpenFile(status.path, in: fileSystem, options: OpenFileOptions(readType: .noCache)) {
      input in
      try await StreamTransfer.forEachChunk(of: input, chunkSize: chunkSize) { chunk in
        chunk.withUnsafeReadableBytes { digest.update($0) }
      }
    }
    // Alluxio prints "md5sum: <hex>\n" with println, hence the empty line after it.
    context.output.line("md5sum: \(digest.hexDigest())")
    context.output.line()
    return ExitCode.success
  }

  /// For commands whose stdout is a file's bytes: failures of any kind, usage included, on stderr.
  static let dataErrors: @Sendable (ParsedArguments?) -> ShellOutput.Stream = { _ in .standardError }

  /// Streams a whole file to stdout in chunks (`cat`, `copyToLocal <src> -`).
  static func printFile(
    _ path: String, in fileSystem: any DataFileSystem, chunkSize: Int, _ context: CommandContext
  ) async throws {
    try await StreamTransfer.withOpenFile(path, in: fileSystem) { input in
      try await StreamTransfer.forEachChunk(of: input, chunkSize: chunkSize) { chunk in
        chunk.withUnsafeReadableBytes { context.output.write(raw: $0) }
      }
    }
  }

  /// Alluxio's read buffer for `cat`.
  static let chunkSize = 1 << 20
  static let defaultByteCount: Int64 = 1024

  /// `-c` for head and tail: a size such as `100`, `4KB`; must be positive.
  private static func byteCount(_ arguments: ParsedArguments) throws -> Int64 {
    guard let bytes = try arguments.byteSize("c", flag: "-c") else { return defaultByteCount }
    guard bytes > 0 else { throw ShellFailure.message("specified bytes must be > 0") }
    return bytes
  }

  /// Connects, and checks that the argument names an existing file.
  static func openableFile(
    _ argument: String, _ context: CommandContext
  ) async throws -> (any DataFileSystem, FileInfo) {
    let path = try ShellPath.normalize(argument)
    let fileSystem = try await context.fileSystem()
    let status = try await fileSystem.getStatus(path, syncIntervalMs: nil)
    if status.isDirectory { throw ShellFailure.mustBeFile(path) }
    return (fileSystem, status)
  }

  private static func printRange(
    of status: FileInfo, in fileSystem: any DataFileSystem, from position: Int64, count: Int,
    _ context: CommandContext
  ) async throws {
    guard count > 0 else { return }
    let bytes = try await StreamTransfer.withOpenFile(status.path, in: fileSystem) { input in
      try await StreamTransfer.read(input, at: position, count: count)
    }
    context.output.write(bytes: bytes)
  }
}
