import GooseFSCore
import Glibc

/// Turns errno values into `GooseFSError`s whose messages say what was being done.
enum IOError {
  /// `strerror` text plus the symbolic name, e.g. "No space left on device (ENOSPC)".
  static func describe(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    if let name = names[code] { return "\(text) (\(name))" }
    return "\(text) (errno \(code))"
  }

  static func failure(_ operation: String, fd: Int32, offset: Int64, count: Int, errno code: Int32) -> GooseFSError {
    let kind: GooseFSError.Code = code == ENOSPC || code == EDQUOT ? .resourceExhausted : .ioError
    return GooseFSError(kind, "\(operation) of \(count) bytes at offset \(offset) of fd \(fd) failed: \(describe(code))")
  }

  static func failure(_ operation: String, path: String, errno code: Int32) -> GooseFSError {
    let kind: GooseFSError.Code =
      switch code {
      case ENOENT: .notFound
      // Out of descriptors or memory says nothing about the file: the caller must not treat it
      // as a broken block.
      case ENOSPC, EDQUOT, EMFILE, ENFILE, ENOMEM: .resourceExhausted
      case EACCES, EPERM: .permissionDenied
      default: .ioError
      }
    return GooseFSError(kind, "\(operation) \(path) failed: \(describe(code))")
  }

  /// A write that made no progress would loop forever; the kernel only does that for a full disk.
  static func progress(_ count: Int, writing fd: Int32, at offset: Int64) throws -> Int {
    guard count > 0 else { throw failure("write", fd: fd, offset: offset, count: 0, errno: ENOSPC) }
    return count
  }

  static let shutDown = GooseFSError(.unavailable, "The block I/O engine has been shut down")

  private static let names: [Int32: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", EINTR: "EINTR", EIO: "EIO", EBADF: "EBADF", EAGAIN: "EAGAIN",
    ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", EEXIST: "EEXIST", EXDEV: "EXDEV",
    EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE", EFBIG: "EFBIG", ENOSPC: "ENOSPC", EROFS: "EROFS",
    ENOSYS: "ENOSYS", EOPNOTSUPP: "EOPNOTSUPP", EDQUOT: "EDQUOT", ECANCELED: "ECANCELED",
  ]
}
