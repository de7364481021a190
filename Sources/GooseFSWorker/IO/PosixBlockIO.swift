import Glibc
import GooseFSCore

/// The portable engine: pread/pwrite. Async calls run on a small pool of dedicated threads; the
/// blocking forms call the syscall on the caller's thread, which is already a blocking context.
/// Used where io_uring is unavailable (seccomp profiles of container runtimes, old kernels,
/// `kernel.io_uring_disabled`) or not wanted.
public final class PosixBlockIO: BlockFileIO {
  public var engineName: String { "posix" }
  private let pool: BlockingThreadPool

  /// `threads` bounds how many block-file syscalls run at once.
  public init(threads: Int = 4) {
    pool = BlockingThreadPool(threads: max(1, threads), name: "goosefs-block-io")
  }

  deinit { pool.shutdown() }

  public func read(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) async throws -> Int {
    let target = UncheckedBuffer(buffer)
    return try await onPool { try Self.pread(fd, target.mutable, offset) }
  }

  public func write(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) async throws -> Int {
    let source = UncheckedBuffer(UnsafeMutableRawBufferPointer(mutating: buffer))
    return try await onPool { try Self.pwrite(fd, UnsafeRawBufferPointer(source.mutable), offset) }
  }

  public func readBlocking(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
    try Self.pread(fd, buffer, offset)
  }

  public func writeBlocking(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
    try Self.pwrite(fd, buffer, offset)
  }

  public func shutdown() { pool.shutdown() }

  private func onPool(_ work: @escaping @Sendable () throws -> Int) async throws -> Int {
    try await withCheckedThrowingContinuation { continuation in
      let accepted = pool.submit {
        continuation.resume(with: Result { try work() })
      }
      if !accepted { continuation.resume(throwing: IOError.shutDown) }
    }
  }

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

/// A caller's buffer carried to the thread that fills it. The caller is suspended until the
/// operation completes, so the memory is neither freed nor touched concurrently meanwhile.
struct UncheckedBuffer: @unchecked Sendable {
  let mutable: UnsafeMutableRawBufferPointer
  init(_ buffer: UnsafeMutableRawBufferPointer) { mutable = buffer }
}
