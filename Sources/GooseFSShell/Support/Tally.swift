import Synchronization

/// Counts what concurrent per-file tasks achieved, for the final summary line.
final class Tally: Sendable {
  private let counts = Mutex<(succeeded: Int, failed: Int, bytes: Int64)>((0, 0, 0))

  func succeeded(bytes: Int64 = 0) {
    counts.withLock {
      $0.succeeded += 1
      $0.bytes += bytes
    }
  }

  func failed() { counts.withLock { $0.failed += 1 } }

  var succeededCount: Int { counts.withLock { $0.succeeded } }
  var failedCount: Int { counts.withLock { $0.failed } }
  var bytes: Int64 { counts.withLock { $0.bytes } }
}
