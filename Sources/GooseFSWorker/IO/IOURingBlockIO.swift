import Dispatch
import Glibc
import GooseFSCore
import Logging
import Synchronization

/// The io_uring engine: one ring per process, submissions under a short lock, completions on a
/// dedicated thread that wakes the waiting I/O thread (see `URingRing`). The store's I/O threads
/// submit and wait; the ring lets their operations reach the kernel together. Buffered and O_DIRECT
/// descriptors both work; for O_DIRECT the caller aligns buffers, offsets and lengths (`DirectIO`).
public final class IOURingBlockIO: BlockFileIO {
  public var engineName: String { "io_uring" }
  private let ring: URingRing

  /// The largest single operation; the kernel reports results as a 32-bit count.
  static let maxOperationBytes = 1 << 30

  /// `queueDepth` bounds the operations inside the kernel at once (more wait in order).
  public init(queueDepth: UInt32 = 256, logger: Logger) throws(IOURingUnavailable) {
    ring = try URingRing(queueDepth: queueDepth, logger: logger)
  }

  deinit { ring.shutdown() }

  public func read(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
    let (address, count) = Self.span(buffer.baseAddress, buffer.count)
    let result = performBlocking(.read, fd: fd, address: address, count: count, offset: offset)
    return try Self.check(result, "read", fd: fd, offset: offset, count: count)
  }

  public func write(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
    let (address, count) = Self.span(buffer.baseAddress, buffer.count)
    let result = performBlocking(.write, fd: fd, address: address, count: count, offset: offset)
    return try Self.check(result, "write", fd: fd, offset: offset, count: count)
  }

  public func shutdown() { ring.shutdown() }

  /// A no-op through the kernel and back: the probe's proof that the ring really works.
  func roundTripNop(timeout: DispatchTimeInterval) -> Int32? {
    performBlocking(.nop, fd: -1, address: 0, count: 0, offset: 0, timeout: timeout)
  }

  func readBlocking(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, timeout: DispatchTimeInterval) -> Int32? {
    let (address, count) = Self.span(buffer.baseAddress, buffer.count)
    return performBlocking(.read, fd: fd, address: address, count: count, offset: 0, timeout: timeout)
  }

  // MARK: - Plumbing

  private func performBlocking(_ kind: URingOperation.Kind, fd: Int32, address: UInt, count: UInt32, offset: Int64) -> Int32 {
    // Without a timeout the wait always ends: every submitted operation completes.
    performBlocking(kind, fd: fd, address: address, count: count, offset: offset, timeout: nil)!
  }

  /// nil when `timeout` passed first; the operation then still owns the buffer until it completes,
  /// so only the probe (whose buffers live forever) uses a timeout.
  private func performBlocking(
    _ kind: URingOperation.Kind, fd: Int32, address: UInt, count: UInt32, offset: Int64, timeout: DispatchTimeInterval?
  ) -> Int32? {
    let outcome = BlockingOutcome()
    ring.submit(
      URingOperation(kind, fd: fd, address: address, count: count, offset: UInt64(bitPattern: offset)) { result in
        outcome.finish(result)
      })
    return outcome.wait(timeout: timeout)
  }

  private static func span(_ base: UnsafeRawPointer?, _ count: Int) -> (UInt, UInt32) {
    (UInt(bitPattern: base), UInt32(min(count, maxOperationBytes)))
  }

  private static func check(_ result: Int32, _ operation: String, fd: Int32, offset: Int64, count: UInt32) throws -> Int {
    if result >= 0 { return Int(result) }
    if result == -ECANCELED { throw IOError.shutDown }
    throw IOError.failure(operation, fd: fd, offset: offset, count: Int(count), errno: -result)
  }
}

/// The result of one operation handed from the completion thread to a thread that blocks for it.
private final class BlockingOutcome: Sendable {
  private let result = Mutex<Int32>(0)
  private let done = DispatchSemaphore(value: 0)

  func finish(_ value: Int32) {
    result.withLock { $0 = value }
    done.signal()
  }

  func wait(timeout: DispatchTimeInterval?) -> Int32? {
    if let timeout {
      guard done.wait(timeout: .now() + timeout) == .success else { return nil }
    } else {
      done.wait()
    }
    return result.withLock { $0 }
  }
}
