import Foundation
import Glibc
import Testing

@testable import GooseFSWorker

/// Reads a 1 GiB file with 1 MiB reads, io_uring against pread, on tmpfs and on disk, and prints
/// MiB/s. Only with GOOSEFS_IO_BENCH=1 (it writes 2 GiB and takes about a minute):
///     GOOSEFS_IO_BENCH=1 swift test -c release --filter IOBenchmarkTests
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GOOSEFS_IO_BENCH"] == "1"), .timeLimit(.minutes(10)))
struct IOBenchmarkTests {
  static let fileSize = 1 << 30
  static let chunk = 1 << 20

  @Test func readOneGiBWithOneMiBReads() async throws {
    let uring = try IOURingBlockIO(queueDepth: 64, logger: quietLogger)
    let posix = PosixBlockIO()
    defer { uring.shutdown() }
    for (label, base, cold) in [("tmpfs /dev/shm", "/dev/shm", false), ("disk /var/tmp (ext4)", "/var/tmp", true)] {
      try await withTemporaryFolder(base: base) { folder in
        let path = folder + "/big"
        try Self.makeFile(path)
        print("== \(label): 1 GiB, 1 MiB reads; MiB/s (best of 3)")
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let runs: [(String, (Int32) async throws -> Void)] = [
          ("pread, caller's thread, 1 in flight", { fd in try Self.preadLoop(fd) }),
          ("pread on the I/O executor, 1 in flight", { fd in try await Self.asyncLoop(posix, fd, lanes: 1) }),
          ("io_uring on the I/O executor, 1 in flight", { fd in try await Self.asyncLoop(uring, fd, lanes: 1) }),
          ("io_uring blocking, 1 in flight", { fd in try Self.blockingLoop(uring, fd) }),
          ("pread on the I/O executor, 4 in flight", { fd in try await Self.asyncLoop(posix, fd, lanes: 4) }),
          ("io_uring on the I/O executor, 4 in flight", { fd in try await Self.asyncLoop(uring, fd, lanes: 4) }),
          ("io_uring on the I/O executor, 16 in flight", { fd in try await Self.asyncLoop(uring, fd, lanes: 16) }),
        ]
        for (name, run) in runs {
          try await Self.report("warm  " + name) { try await run(fd) }
          if cold {
            try await Self.report("cold  " + name, before: { Self.dropCache(fd) }) { try await run(fd) }
          }
        }
        if cold {
          let direct = open(path, O_RDONLY | DirectIO.openFlag)
          if direct >= 0 {
            defer { close(direct) }
            try await Self.report("O_DIRECT io_uring on the I/O executor, 4 in flight") { try await Self.asyncLoop(uring, direct, lanes: 4) }
            try await Self.report("O_DIRECT io_uring on the I/O executor, 16 in flight") { try await Self.asyncLoop(uring, direct, lanes: 16) }
            try await Self.report("O_DIRECT pread on the I/O executor, 4 in flight") { try await Self.asyncLoop(posix, direct, lanes: 4) }
          }
        }
      }
    }
  }

  static func makeFile(_ path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(fd >= 0)
    defer { close(fd) }
    let buffer = DirectIO.allocate(byteCount: chunk)
    defer { buffer.deallocate() }
    for index in 0..<chunk { buffer[index] = UInt8(truncatingIfNeeded: index &* 7) }
    for offset in stride(from: 0, to: fileSize, by: chunk) {
      _ = try PosixBlockIO.pwrite(fd, UnsafeRawBufferPointer(buffer), Int64(offset))
    }
    fsync(fd)
  }

  static func dropCache(_ fd: Int32) {
    _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
  }

  static func report(_ name: String, before: () -> Void = {}, _ body: () async throws -> Void) async throws {
    var best = Double.infinity
    for _ in 0..<3 {
      before()
      let start = ContinuousClock.now
      try await body()
      let elapsed = ContinuousClock.now - start
      best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    print(String(format: "  %-50@ %8.0f", name as NSString, Double(fileSize >> 20) / best))
  }

  static func preadLoop(_ fd: Int32) throws {
    let buffer = DirectIO.allocate(byteCount: chunk)
    defer { buffer.deallocate() }
    var offset = 0
    while offset < fileSize {
      let count = try PosixBlockIO.pread(fd, buffer, Int64(offset))
      precondition(count == chunk)
      offset += count
    }
  }

  static func blockingLoop(_ io: any BlockFileIO, _ fd: Int32) throws {
    let buffer = DirectIO.allocate(byteCount: chunk)
    defer { buffer.deallocate() }
    for offset in stride(from: 0, to: fileSize, by: chunk) {
      let count = try io.read(fd: fd, into: buffer, at: Int64(offset))
      precondition(count == chunk)
    }
  }

  /// Threads of the executor the lanes below read on (as the worker's store does).
  static let executor = BlockIOExecutor(threads: 16)

  /// `lanes` tasks, each reading every lanes-th chunk with its own aligned buffer, on the executor.
  static func asyncLoop(_ io: any BlockFileIO, _ fd: Int32, lanes: Int) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for lane in 0..<lanes {
        group.addTask {
          let buffer = UncheckedBuffer(DirectIO.allocate(byteCount: chunk))
          defer { buffer.mutable.deallocate() }
          for offset in stride(from: lane * chunk, to: fileSize, by: lanes * chunk) {
            let count = try await executor.run { try io.read(fd: fd, into: buffer.mutable, at: Int64(offset)) }
            precondition(count == chunk)
          }
        }
      }
      try await group.waitForAll()
    }
  }
}

/// A lane's buffer carried to the I/O thread that fills it; the lane waits for each read, so the
/// memory is never touched by two threads at once.
struct UncheckedBuffer: @unchecked Sendable {
  let mutable: UnsafeMutableRawBufferPointer
  init(_ buffer: UnsafeMutableRawBufferPointer) { mutable = buffer }
}
