import Synchronization

/// Data counters of this worker, sent to the master as increments with each heartbeat (the
/// master sums them into the Cluster.* metrics that Fluid reads).
final class WorkerMetrics: Sendable {
  private let pending = Mutex<[String: Double]>([:])
  private let totals = Mutex<[String: Double]>([:])

  /// Bytes served from this worker's cache over the network.
  func servedFromCache(_ bytes: Int) { add("Cluster.BytesReadRemote", bytes) }
  /// Bytes read from the under store (a miss, a load).
  func readFromUFS(_ bytes: Int) { add("Cluster.BytesReadUfsAll", bytes) }
  func wroteToCache(_ bytes: Int) { add("Cluster.BytesWrittenLocal", bytes) }
  func wroteToUFS(_ bytes: Int) { add("Cluster.BytesWrittenUfsAll", bytes) }

  private func add(_ name: String, _ bytes: Int) {
    guard bytes > 0 else { return }
    pending.withLock { $0[name, default: 0] += Double(bytes) }
    totals.withLock { $0[name, default: 0] += Double(bytes) }
  }

  /// Increments since the last call; `restore` puts them back when the heartbeat failed.
  func drain() -> [String: Double] {
    pending.withLock { state in
      defer { state = [:] }
      return state
    }
  }

  func restore(_ deltas: [String: Double]) {
    pending.withLock { state in
      for (name, value) in deltas { state[name, default: 0] += value }
    }
  }

  func snapshot() -> [String: Double] { totals.withLock { $0 } }
}
