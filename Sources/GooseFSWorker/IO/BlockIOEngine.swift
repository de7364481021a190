import Dispatch
import Glibc
import GooseFSCore
import Logging

/// Chooses the block-file engine at start-up.
public enum BlockIOEngine {
  /// How the io_uring engine is made; tests inject failures here.
  public typealias IOURingFactory = @Sendable (_ queueDepth: UInt32, _ logger: Logger) throws -> IOURingBlockIO

  public static let defaultIOURingFactory: IOURingFactory = { depth, logger in
    try IOURingBlockIO(queueDepth: depth, logger: logger)
  }

  /// io_uring when wanted and working, else pread/pwrite. Either way the calls are made by the
  /// store's `ioThreads` dedicated I/O threads (`BlockIOExecutor`); the count is for the log line.
  ///
  /// "Working" means the ring was set up *and* a no-op and a real read of a pipe completed through
  /// it: some sandboxes (seccomp filters, gVisor) allow io_uring_setup but fail or never complete
  /// operations. Any failure is logged in one line that names the cause.
  public static func probe(
    preferIOURing: Bool, queueDepth: UInt32 = 256, ioThreads: Int, logger: Logger,
    makeIOURing: IOURingFactory = defaultIOURingFactory
  ) -> any BlockFileIO {
    guard preferIOURing else {
      logger.info("Block files: pread/pwrite on \(ioThreads) dedicated I/O threads (io_uring is turned off by configuration)")
      return PosixBlockIO()
    }
    let reason: String
    do {
      let engine = try makeIOURing(queueDepth, logger)
      if let failure = roundTrip(engine) {
        reason = failure.description
      } else {
        logger.info("Block files: io_uring (queue depth \(queueDepth)), submitted from \(ioThreads) dedicated I/O threads")
        return engine
      }
    } catch let error as IOURingUnavailable {
      reason = error.description
    } catch {
      reason = "\(error)"
    }
    logger.warning("io_uring is unavailable (\(reason)); block files: pread/pwrite on \(ioThreads) dedicated I/O threads")
    return PosixBlockIO()
  }

  /// nil when a no-op and a one-byte pipe read both completed correctly.
  static func roundTrip(_ engine: IOURingBlockIO) -> IOURingUnavailable? {
    let timeout = DispatchTimeInterval.seconds(5)
    guard let nop = engine.roundTripNop(timeout: timeout) else {
      abandon(engine)
      return IOURingUnavailable(call: "IORING_OP_NOP (no completion within 5 s)", errno: ETIMEDOUT)
    }
    if nop < 0 { return IOURingUnavailable(call: "IORING_OP_NOP", errno: -nop) }

    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return IOURingUnavailable(call: "pipe", errno: errno) }
    defer {
      close(fds[0])
      close(fds[1])
    }
    var byte: UInt8 = 42
    guard Glibc.write(fds[1], &byte, 1) == 1 else { return IOURingUnavailable(call: "write to pipe", errno: errno) }
    // The buffer must outlive a timed-out read, so it is deliberately never freed in that case.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 1)
    guard let read = engine.readBlocking(fd: fds[0], into: buffer, timeout: timeout) else {
      abandon(engine)
      return IOURingUnavailable(call: "IORING_OP_READ (no completion within 5 s)", errno: ETIMEDOUT)
    }
    defer { buffer.deallocate() }
    if read < 0 { return IOURingUnavailable(call: "IORING_OP_READ", errno: -read) }
    if read != 1 || buffer[0] != 42 { return IOURingUnavailable(call: "IORING_OP_READ (wrong data)", errno: EIO) }
    return nil
  }

  /// A ring whose operations never complete cannot be shut down (shutdown waits for them): keep
  /// it alive for the life of the process instead of hanging start-up.
  private static func abandon(_ engine: IOURingBlockIO) {
    _ = Unmanaged.passRetained(engine)
  }
}
