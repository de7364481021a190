import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

/// The one place project errors become errno values for the kernel (architecture note §6).
public enum FuseErrno {
  public static func code(for error: GooseFSError) -> Int32 {
    switch error.code {
    case .notFound: ENOENT
    case .alreadyExists: EEXIST
    case .directoryNotEmpty: ENOTEMPTY
    case .permissionDenied: EACCES
    case .invalidArgument: EINVAL
    case .resourceExhausted: ENOSPC
    case .unimplemented: ENOTSUP
    case .cancelled: EINTR
    case .deadlineExceeded: ETIMEDOUT
    // A master or worker that cannot be reached, a lost file, a changed under store, a broken
    // cache block: the application sees an I/O error, never a hang or wrong bytes.
    case .unavailable, .notLeader, .ioError, .corrupted, .failedPrecondition, .internalError: EIO
    }
  }

  /// Any error: project errors by code, everything else is an I/O error.
  public static func code(for error: any Error) -> Int32 {
    if let error = error as? GooseFSError { return code(for: error) }
    if let failure = error as? FuseFailure { return failure.code }
    if error is CancellationError { return EINTR }
    return EIO
  }

  /// Linux's limit on one path component; longer names fail before any call is made.
  public static let maxNameBytes = 255
}

/// An errno decided by the daemon itself (a name too long, a read-only mount, an exchange).
struct FuseFailure: Error {
  var code: Int32
  init(_ code: Int32) { self.code = code }
}
