// What one system call did, as a value: the return value or the errno. The random tester compares
// these between the mount and the reference, and the checks compare them with expectations, so
// errno must be captured immediately after the call, before anything else can overwrite it.
import Glibc

public enum SyscallOutcome: Equatable, Sendable, CustomStringConvertible {
  case success(Int)
  case failure(Int32)

  /// For calls that return -1 and set errno on failure.
  @inline(__always)
  public init(returning value: Int32) {
    self = value >= 0 ? .success(Int(value)) : .failure(errno)
  }

  /// For calls that return ssize_t (read, write).
  @inline(__always)
  public init(returning value: Int) {
    self = value >= 0 ? .success(value) : .failure(errno)
  }

  public var succeeded: Bool {
    if case .success = self { return true }
    return false
  }

  public var errorCode: Int32? {
    if case .failure(let code) = self { return code }
    return nil
  }

  public var description: String {
    switch self {
    case .success(let value): return "ok(\(value))"
    case .failure(let code): return ErrnoName.of(code)
    }
  }
}

/// Symbolic errno names: "ENOTEMPTY" in a failure message is read faster than "39".
public enum ErrnoName {
  public static func of(_ code: Int32) -> String {
    switch code {
    case EPERM: return "EPERM"
    case ENOENT: return "ENOENT"
    case EINTR: return "EINTR"
    case EIO: return "EIO"
    case ENXIO: return "ENXIO"
    case EBADF: return "EBADF"
    case EAGAIN: return "EAGAIN"
    case ENOMEM: return "ENOMEM"
    case EACCES: return "EACCES"
    case EBUSY: return "EBUSY"
    case EEXIST: return "EEXIST"
    case EXDEV: return "EXDEV"
    case ENOTDIR: return "ENOTDIR"
    case EISDIR: return "EISDIR"
    case EINVAL: return "EINVAL"
    case EFBIG: return "EFBIG"
    case ENOSPC: return "ENOSPC"
    case EROFS: return "EROFS"
    case EMLINK: return "EMLINK"
    case ENAMETOOLONG: return "ENAMETOOLONG"
    case ENOSYS: return "ENOSYS"
    case ENOTEMPTY: return "ENOTEMPTY"
    case ELOOP: return "ELOOP"
    case EOPNOTSUPP: return "EOPNOTSUPP"  // same value as ENOTSUP on Linux
    case ENOTCONN: return "ENOTCONN"  // what a FUSE mount returns once its daemon is gone
    case ESTALE: return "ESTALE"
    case ETIMEDOUT: return "ETIMEDOUT"
    default: return "errno \(code)"
    }
  }
}
