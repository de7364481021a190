// Two readers and one writer at the same time on real threads: the readers loop over file A
// and must always see its exact bytes while the writer rewrites file B several times (and
// checks each version). A daemon that serializes badly deadlocks here; one that mixes up
// handles or buffers between concurrent requests returns wrong bytes.
import Foundation
import Glibc
import Synchronization

public struct ConcurrencyStats: Sendable {
  /// Full verified passes over file A, per reader.
  public var readerPasses: [Int]
  public var writerPasses: Int
  public var seconds: Double
}

extension PosixChecks {
  /// - Parameters:
  ///   - fileSize: size of A and of each version of B.
  ///   - writerPasses: how many times B is rewritten; readers keep reading until the writer
  ///     is done and they have each completed at least `minimumReaderPasses`.
  @discardableResult
  public static func concurrentReadersAndWriter(
    root: String, fileSize: Int = 8 << 20, writerPasses: Int = 4, minimumReaderPasses: Int = 2
  ) throws -> ConcurrencyStats {
    let dir = try ScratchDirectory.fresh("posix-concurrency", in: root)
    let fileA = FileTree.join(dir, "A")
    let fileB = FileTree.join(dir, "B")
    let seedA: UInt64 = 0xA
    let seedB: UInt64 = 0xB000

    let opened = Sys.open(fileA, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard case .success(let raw) = opened else { throw PosixError("open", fileA, opened.errorCode!) }
    let written = PatternFile.write(fd: Int32(raw), size: fileSize, seed: seedA)
    let closed = Sys.close(Int32(raw))
    if let code = written.errorCode ?? closed.errorCode { throw PosixError("write", fileA, code) }

    let shared = SharedProgress(readers: 2)
    let finished = DispatchSemaphore(value: 0)
    let clock = ContinuousClock()
    let start = clock.now

    let writer = Thread {
      defer {
        shared.writerDone.store(true, ordering: .releasing)
        finished.signal()
      }
      for pass in 0..<writerPasses {
        let seed = seedB + UInt64(pass)
        let opened = Sys.open(fileB, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard case .success(let raw) = opened else {
          return shared.fail("writer pass \(pass): open B: \(opened)")
        }
        let written = PatternFile.write(fd: Int32(raw), size: fileSize, seed: seed)
        let closed = Sys.close(Int32(raw))
        if !written.succeeded || !closed.succeeded {
          return shared.fail("writer pass \(pass): write \(written), close \(closed)")
        }
        let reopened = Sys.open(fileB, O_RDONLY)
        guard case .success(let readFd) = reopened else {
          return shared.fail("writer pass \(pass): reopen B: \(reopened)")
        }
        if let problem = PatternFile.verify(fd: Int32(readFd), size: fileSize, seed: seed) {
          shared.fail("writer pass \(pass): B read back: \(problem)")
        }
        _ = Sys.close(Int32(readFd))
        shared.writerPasses.add(1, ordering: .relaxed)
      }
    }
    writer.start()

    for reader in 0..<2 {
      let thread = Thread {
        defer { finished.signal() }
        var passes = 0
        while !shared.writerDone.load(ordering: .acquiring) || passes < minimumReaderPasses {
          let opened = Sys.open(fileA, O_RDONLY)
          guard case .success(let raw) = opened else {
            return shared.fail("reader \(reader) pass \(passes): open A: \(opened)")
          }
          let problem = PatternFile.verify(fd: Int32(raw), size: fileSize, seed: seedA)
          _ = Sys.close(Int32(raw))
          if let problem {
            return shared.fail("reader \(reader) pass \(passes): \(problem)")
          }
          passes += 1
        }
        shared.readerPasses.withLock { $0[reader] = passes }
      }
      thread.start()
    }
    for _ in 0..<3 { finished.wait() }

    let stats = ConcurrencyStats(
      readerPasses: shared.readerPasses.withLock { $0 },
      writerPasses: shared.writerPasses.load(ordering: .relaxed),
      seconds: (clock.now - start).seconds)
    let failures = shared.failures.withLock { $0 }
    if !failures.isEmpty {
      throw CheckFailure(failures.map { "concurrency: \($0)" })
    }
    try FileTree.remove(dir)
    return stats
  }
}

/// State the three threads share; all of it synchronized, so the class is Sendable.
private final class SharedProgress: Sendable {
  let failures = Mutex<[String]>([])
  let readerPasses: Mutex<[Int]>
  let writerPasses = Atomic<Int>(0)
  let writerDone = Atomic<Bool>(false)

  init(readers: Int) {
    readerPasses = Mutex([Int](repeating: 0, count: readers))
  }

  func fail(_ message: String) {
    failures.withLock { $0.append(message) }
  }
}
