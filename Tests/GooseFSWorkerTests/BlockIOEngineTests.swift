import Glibc
import GooseFSCore
import Testing

@testable import GooseFSWorker

/// Choosing the engine, and falling back to pread/pwrite with one clear log line.
@Suite(.timeLimit(.minutes(1))) struct BlockIOEngineTests {
  @Test func configurationCanTurnIOURingOff() {
    let log = LogRecorder()
    let io = BlockIOEngine.probe(preferIOURing: false, ioThreads: 2, logger: log.logger)
    defer { io.shutdown() }
    #expect(io.engineName == "pread/pwrite")
    #expect(log.messages(atLeast: .warning).isEmpty)
  }

  @Test func initFailureFallsBackWithOneLineSayingWhy() {
    let log = LogRecorder()
    let io = BlockIOEngine.probe(preferIOURing: true, ioThreads: 2, logger: log.logger) { _, _ in
      throw IOURingUnavailable(call: "io_uring_queue_init", errno: EPERM)
    }
    defer { io.shutdown() }
    #expect(io.engineName == "pread/pwrite")
    let warnings = log.messages(atLeast: .warning)
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("io_uring is unavailable") == true)
    #expect(warnings.first?.contains("io_uring_queue_init failed") == true)
    #expect(warnings.first?.contains("EPERM") == true)
    #expect(warnings.first?.contains("pread/pwrite") == true)
  }

  @Test func memoryShortageIsExplained() {
    let log = LogRecorder()
    let io = BlockIOEngine.probe(preferIOURing: true, ioThreads: 2, logger: log.logger) { _, _ in
      throw IOURingUnavailable(call: "io_uring_queue_init", errno: ENOMEM)
    }
    defer { io.shutdown() }
    #expect(log.messages(atLeast: .warning).first?.contains("locked-memory limit") == true)
  }

  @Test func causesNameTheSysctlOrSeccomp() {
    #expect(IOURingUnavailable.likelyCause(EPERM, disabledSetting: "2").contains("kernel.io_uring_disabled is 2"))
    #expect(IOURingUnavailable.likelyCause(EPERM, disabledSetting: "1").contains("kernel.io_uring_group"))
    #expect(IOURingUnavailable.likelyCause(EPERM, disabledSetting: "0").contains("seccomp"))
    #expect(IOURingUnavailable.likelyCause(ENOSYS, disabledSetting: nil).contains("no io_uring"))
  }

  /// Where the kernel allows io_uring (this machine does), the probe's round trips pass and it is chosen;
  /// elsewhere it must have said why not.
  @Test func probeChoosesIOURingWhenItWorks() throws {
    let log = LogRecorder()
    let io = BlockIOEngine.probe(preferIOURing: true, ioThreads: 2, logger: log.logger)
    defer { io.shutdown() }
    if io.engineName == "io_uring" {
      #expect(log.messages(atLeast: .warning).isEmpty)
      let ring = try #require(io as? IOURingBlockIO)
      #expect(BlockIOEngine.roundTrip(ring) == nil)
    } else {
      #expect(log.messages(atLeast: .warning).count == 1)
    }
  }
}
