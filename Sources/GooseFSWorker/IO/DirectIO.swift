import Glibc
import GooseFSCore

/// O_DIRECT support. When the store uses it (see `TieredBlockStore.Options.directWrites`):
/// - only for writes to directories whose medium is not MEM: tmpfs refused O_DIRECT before Linux
///   6.6, and where it accepts it there is nothing to gain (its page cache *is* the storage);
/// - only while every write is aligned (buffer address, file offset and length multiples of
///   `alignment`): the first unaligned write, normally a block's short tail, turns O_DIRECT off for
///   the rest of that file, so correctness never depends on the caller's buffers;
/// - never for reads: readers' buffers are not aligned, and hot blocks on SSD/HDD benefit from the
///   page cache.
/// Writing a block with O_DIRECT keeps cold, written-once data from evicting hot pages.
public enum DirectIO {
  /// 4 KiB satisfies devices with 512-byte and 4 KiB logical sectors alike.
  public static let alignment = 4096

  /// Glibc only defines O_DIRECT with _GNU_SOURCE, which Swift's Glibc module is not built with;
  /// the values are the kernel's per-architecture constants.
  public static let openFlag: Int32 = {
    #if arch(x86_64) || arch(i386) || arch(s390x)
      return 0o40000
    #elseif arch(arm64) || arch(arm)
      return 0o200000
    #elseif arch(powerpc64) || arch(powerpc64le)
      return 0o400000
    #else
      return 0o40000
    #endif
  }()

  public static func isAligned(_ buffer: UnsafeRawBufferPointer, offset: Int64) -> Bool {
    guard let base = buffer.baseAddress else { return false }
    return UInt(bitPattern: base) % UInt(alignment) == 0 && buffer.count % alignment == 0
      && offset % Int64(alignment) == 0
  }

  /// Memory suitable for O_DIRECT transfers; the caller deallocates it.
  public static func allocate(byteCount: Int) -> UnsafeMutableRawBufferPointer {
    let rounded = (byteCount + alignment - 1) / alignment * alignment
    return UnsafeMutableRawBufferPointer.allocate(byteCount: rounded, alignment: alignment)
  }

  /// Turns O_DIRECT on or off for an open descriptor (Linux allows changing it with F_SETFL).
  public static func setEnabled(_ enabled: Bool, fd: Int32) throws {
    let flags = fcntl(fd, F_GETFL)
    guard flags >= 0 else { throw IOError.failure("fcntl(F_GETFL)", path: "fd \(fd)", errno: errno) }
    let wanted = enabled ? flags | openFlag : flags & ~openFlag
    guard wanted != flags else { return }
    guard fcntl(fd, F_SETFL, wanted) == 0 else {
      throw IOError.failure("fcntl(F_SETFL, O_DIRECT=\(enabled))", path: "fd \(fd)", errno: errno)
    }
  }

  public static func isEnabled(fd: Int32) -> Bool {
    let flags = fcntl(fd, F_GETFL)
    return flags >= 0 && flags & openFlag != 0
  }
}
