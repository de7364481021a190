/// Failures the shell itself raises (as opposed to `GooseFSError` from the master).
enum ShellFailure: Error, Equatable {
  /// Bad flags or argument count: the shell prints the message, then `Usage: <usage>`.
  case usage(String)
  /// A command-level error whose message is printed as is (Alluxio prints `e.getMessage()`).
  case message(String)

  /// Alluxio's PATH_MUST_BE_FILE, in the quoted form of the project's `Path "/x" does not exist.`
  static func mustBeFile(_ path: String) -> ShellFailure {
    .message("Path \"\(path)\" must be a file.")
  }
}
