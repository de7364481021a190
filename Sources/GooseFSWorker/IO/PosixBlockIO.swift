import Glibc
import GooseFSCore

/// The portable engine: pread/pwrite on the calling thread (one of the store's I/O threads).
/// Used where io_uring is unavailable (seccomp profiles of container runtimes, old kernels,
/// `kernel.io_uring_disabled`), not wanted, or slower (tmpfs tiers: see docs/architecture.md).
public final class PosixBlockIO: BlockFileIO {
  public var engineName: String { "pread/pwrite" }

  public init() {}

  public func read(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
    try Self.pread(fd, buffer, offset)
  }

  public func write(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
    try Self.pwrite(fd, buffer, offset)
  }

  /// Nothing to stop: the engine has no threads of its own.
  public func shutdown() {}

  static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, _ offset: Int64) throws -> Int {
    while true {
      let count = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
      if count >= 0 { return count }
      if errno == EINTR { continue }
      throw IOError.failure("read", fd: fd, offset: offset, count: buffer.count, errno: errno)
    }
  }

  static func pwrite(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, _ offset: Int64) throws -> Int {
    while true {
      let count = Glibc.pwrite(fd, buffer.baseAddress, buffer.count, off_t(offset))
      if count >= 0 { return count }
      if errno == EINTR { continue }
      throw IOError.failure("write", fd: fd, offset: offset, count: buffer.count, errno: errno)
    }
  }
}
