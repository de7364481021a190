import Foundation
import Glibc

/// Why io_uring cannot be used here, in words an operator can act on.
public struct IOURingUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
  /// The call or operation that failed, e.g. `io_uring_queue_init`.
  public var call: String
  public var errno: Int32

  public init(call: String, errno: Int32) {
    self.call = call
    self.errno = errno
  }

  public var description: String {
    "\(call) failed: \(IOError.describe(errno))\(Self.likelyCause(errno, disabledSetting: Self.disabledSetting()))"
  }

  /// `kernel.io_uring_disabled` (Linux 6.6+): 1 limits io_uring to a group, 2 turns it off.
  static func disabledSetting() -> String? {
    guard let text = try? String(contentsOfFile: "/proc/sys/kernel/io_uring_disabled", encoding: .utf8) else { return nil }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  static func likelyCause(_ code: Int32, disabledSetting: String?) -> String {
    if let disabledSetting, disabledSetting != "0", code == EPERM {
      return "; kernel.io_uring_disabled is \(disabledSetting)"
        + (disabledSetting == "1" ? " (only members of kernel.io_uring_group may use it)" : " (turned off for everyone)")
    }
    switch code {
    case EPERM: return "; most likely a seccomp profile (container runtimes deny io_uring by default)"
    case ENOSYS: return "; the kernel has no io_uring, or a seccomp profile hides it"
    case ENOMEM: return "; the locked-memory limit (ulimit -l) or kernel memory is too small for the rings"
    case EINVAL, EOPNOTSUPP: return "; the kernel does not support this use of io_uring"
    default: return ""
    }
  }
}
