/// Failures the shell itself raises (as opposed to `GooseFSError` from the master).
enum ShellFailure: Error, Equatable {
  /// Bad flags or argument count: the shell prints the message, then `Usage: <usage>`.
  case usage(String)
  /// A command-level error whose message is printed as is (Alluxio prints `e.getMessage()`).
  case message(String)
}
