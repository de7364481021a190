import GooseFSCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Maps an errno from `operation` on `path` to the project's error, naming the path so the
/// message is actionable on its own.
func posixError(_ code: Int32, _ operation: String, _ path: String) -> GooseFSError {
  switch code {
  case ENOENT:
    return .pathDoesNotExist(path)
  case EACCES, EPERM:
    return GooseFSError(.permissionDenied, "Permission denied: cannot \(operation) \"\(path)\".")
  case EEXIST:
    return .pathAlreadyExists(path)
  case ENOTEMPTY:
    return GooseFSError(.directoryNotEmpty, "Directory \"\(path)\" is not empty.")
  case ENOSPC, EDQUOT:
    return GooseFSError(.resourceExhausted, "No space left to \(operation) \"\(path)\": \(errorText(code)).")
  default:
    return GooseFSError(.ioError, "Failed to \(operation) \"\(path)\": \(errorText(code)) (errno \(code)).")
  }
}

/// The C library's description of an errno.
func errorText(_ code: Int32) -> String {
  // glibc's strerror returns static text for known codes; unknown codes use a thread-local buffer.
  String(cString: strerror(code))
}
