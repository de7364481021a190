// One large file written sequentially and read back bit for bit (2 GiB on the mount: past
// 32-bit offsets, many blocks, many FUSE requests), plus random-range preads that straddle
// 1 MiB boundaries. Memory stays at two chunks whatever the size.
import Glibc

public struct LargeFileStats: Sendable {
  public var size: Int
  /// open + writes + close (close included: that is where a FUSE daemon may commit).
  public var writeSeconds: Double
  public var readSeconds: Double
  public var writeMiBPerSecond: Double { Double(size) / 1_048_576 / max(writeSeconds, 1e-9) }
  public var readMiBPerSecond: Double { Double(size) / 1_048_576 / max(readSeconds, 1e-9) }
}

extension PosixChecks {
  /// The file is removed afterwards whether or not the check passed (it may be gigabytes).
  @discardableResult
  public static func largeFile(
    root: String, size: Int, chunkSize: Int = 1 << 20, seed: UInt64 = 0x1A26_EF11
  ) throws -> LargeFileStats {
    let ex = Expectations("largeFile(\(size))")
    let path = FileTree.join(root, "posix-large-file")
    defer { _ = Sys.unlink(path) }

    let (_, writeSeconds) = try timed { () throws(PosixError) in
      let opened = Sys.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      guard case .success(let raw) = opened else { throw PosixError("open", path, opened.errorCode!) }
      let written = PatternFile.write(fd: Int32(raw), size: size, seed: seed, chunk: chunkSize)
      let closed = Sys.close(Int32(raw))
      ex.succeeds(written, "sequential write")
      ex.succeeds(closed, "close after write")
    }
    let (statOutcome, info) = Sys.lstat(path)
    ex.expect(statOutcome.succeeded && info.st_size == size, "st_size \(info.st_size) (\(statOutcome)), expected \(size)")

    let (_, readSeconds) = try timed { () throws(PosixError) in
      let opened = Sys.open(path, O_RDONLY)
      guard case .success(let raw) = opened else { throw PosixError("open", path, opened.errorCode!) }
      if let problem = PatternFile.verify(fd: Int32(raw), size: size, seed: seed, chunk: chunkSize) {
        ex.fail("sequential read: \(problem)")
      }
      _ = Sys.close(Int32(raw))
    }

    // Spot checks with a fresh descriptor: random offsets and lengths up to 3 MiB, including
    // ranges that run past the end of the file.
    let opened = Sys.open(path, O_RDONLY)
    if case .success(let raw) = opened {
      var rng = SplitMix64(seed: seed ^ 0x5707)
      for _ in 0..<32 {
        let offset = rng.below(size + 1)
        let count = rng.inRange(1...(3 << 20))
        if let problem = PatternFile.verifyRange(fd: Int32(raw), offset: offset, count: count, fileSize: size, seed: seed) {
          ex.fail("spot check: \(problem)")
        }
      }
      _ = Sys.close(Int32(raw))
    } else {
      ex.fail("open for spot checks: \(opened)")
    }

    try ex.finish()
    return LargeFileStats(size: size, writeSeconds: writeSeconds, readSeconds: readSeconds)
  }
}
