import Synchronization

/// Blocks being fetched from the under store into the cache right now. One fetch per block: a
/// second reader either serves its range straight from the under store or, for CACHE_BLOCK, waits
/// for the first fetch to finish.
final class CachingBlocks: Sendable {
  private struct Entry {
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  private let entries = Mutex<[Int64: Entry]>([:])

  /// True when the caller now owns the fetch of `blockID` and must call `finish`.
  func begin(_ blockID: Int64) -> Bool {
    entries.withLock { entries in
      guard entries[blockID] == nil else { return false }
      entries[blockID] = Entry()
      return true
    }
  }

  func finish(_ blockID: Int64) {
    let waiters = entries.withLock { $0.removeValue(forKey: blockID)?.waiters ?? [] }
    for waiter in waiters { waiter.resume() }
  }

  func isCaching(_ blockID: Int64) -> Bool { entries.withLock { $0[blockID] != nil } }

  /// Returns when no fetch of `blockID` is in flight.
  func waitUntilDone(_ blockID: Int64) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let waiting = entries.withLock { entries -> Bool in
        guard entries[blockID] != nil else { return false }
        entries[blockID]?.waiters.append(continuation)
        return true
      }
      if !waiting { continuation.resume() }
    }
  }
}
