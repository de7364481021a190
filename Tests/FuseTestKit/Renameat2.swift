// renameat2(2) is declared in glibc's <stdio.h> only under _GNU_SOURCE, which Swift's Glibc module
// does not define, and syscall(2) is variadic so Swift cannot call it. The symbol itself is in
// libc (glibc >= 2.28), so it is looked up once with dlsym and called through a typed pointer.
import Glibc

public enum Renameat2 {
  /// Fail with EEXIST instead of replacing an existing target.
  public static let noReplace: UInt32 = 1  // RENAME_NOREPLACE
  /// Atomically swap source and target; both must exist.
  public static let exchange: UInt32 = 2  // RENAME_EXCHANGE

  private typealias Function = @convention(c) (
    Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
  ) -> Int32

  private static let function: Function? = {
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else {
      return nil
    }
    return unsafeBitCast(symbol, to: Function.self)
  }()

  /// Whether this libc provides renameat2 at all (otherwise every call reports ENOSYS).
  public static var isAvailable: Bool { function != nil }

  /// renameat2(AT_FDCWD, from, AT_FDCWD, to, flags).
  public static func rename(_ from: String, _ to: String, flags: UInt32) -> SyscallOutcome {
    guard let function else { return .failure(ENOSYS) }
    return SyscallOutcome(returning: function(AT_FDCWD, from, AT_FDCWD, to, flags))
  }
}
