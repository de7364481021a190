import GooseFSCore
import Synchronization

/// Cluster-wide data counters (bytes read local/remote/from the under store, written), fed by
/// worker heartbeats and client reports, and their throughput over the last minute.
final class ClusterMetrics: Sendable {
  /// The counters `fsadmin report metrics` always prints (Fluid parses the read ones).
  static let counterNames = [
    "Cluster.BytesReadLocal", "Cluster.BytesReadRemote", "Cluster.BytesReadUfsAll",
    "Cluster.BytesWrittenLocal", "Cluster.BytesWrittenUfsAll",
  ]
  static let throughputNames = [
    "Cluster.BytesReadLocal": "Cluster.BytesReadLocalThroughput",
    "Cluster.BytesReadRemote": "Cluster.BytesReadRemoteThroughput",
    "Cluster.BytesReadUfsAll": "Cluster.BytesReadUfsThroughput",
  ]
  private static let window: Duration = .seconds(60)

  private struct State {
    var totals: [String: Double] = [:]
    /// Recent increments, for the per-minute throughput gauges.
    var recent: [(ContinuousClock.Instant, String, Double)] = []
  }
  private let state = Mutex(State())

  /// Adds increments; names outside the known counters are ignored (a client cannot invent metrics).
  func add(_ deltas: [String: Double], now: ContinuousClock.Instant = .now) {
    let known = Set(Self.counterNames)
    state.withLock { state in
      for (name, delta) in deltas where known.contains(name) && delta > 0 && delta.isFinite {
        state.totals[name, default: 0] += delta
        state.recent.append((now, name, delta))
      }
      let cutoff = now - Self.window
      state.recent.removeAll { $0.0 < cutoff }
    }
  }

  func snapshot(now: ContinuousClock.Instant = .now) -> [MetricValue] {
    state.withLock { state in
      let cutoff = now - Self.window
      state.recent.removeAll { $0.0 < cutoff }
      var perMinute: [String: Double] = [:]
      for (_, name, delta) in state.recent { perMinute[name, default: 0] += delta }
      let counters = Self.counterNames.map { MetricValue(name: $0, kind: .counter, value: state.totals[$0] ?? 0) }
      let gauges = Self.throughputNames.sorted { $0.key < $1.key }.map {
        MetricValue(name: $0.value, kind: .gauge, value: perMinute[$0.key] ?? 0)
      }
      return counters + gauges
    }
  }
}
