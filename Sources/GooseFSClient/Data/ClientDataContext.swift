import GooseFSCore
import GooseFSRPC
import NIOCore
import NIOPosix
import Synchronization

/// State a client's data path shares across streams: parsed settings, the cached worker list,
/// and counters reported to the master.
final class ClientDataContext: Sendable {
  let configuration: Configuration
  private let parsed = Mutex<ClientDataSettings?>(nil)
  private let placementCache = Mutex<(placement: WorkerPlacement, fetched: ContinuousClock.Instant)?>(nil)
  private let unreportedLocalBytes = Mutex<Int64>(0)
  private let connections = Mutex<BlockConnectionPool?>(nil)

  init(configuration: Configuration) {
    self.configuration = configuration
  }

  func settings() throws -> ClientDataSettings {
    if let settings = parsed.withLock({ $0 }) { return settings }
    let settings = try ClientDataSettings(configuration)
    parsed.withLock { $0 = settings }
    return settings
  }

  /// Block protocol connections to workers, kept for reuse.
  func pool() throws -> BlockConnectionPool {
    let settings = try settings()
    return connections.withLock { pool in
      if let pool { return pool }
      let created = BlockConnectionPool(
        group: MultiThreadedEventLoopGroup.singleton, maxIdlePerWorker: 8, connectTimeout: .seconds(10),
        idleTimeout: .milliseconds(Int64(settings.dataTimeout / .milliseconds(1))))
      pool = created
      return created
    }
  }

  /// Returns a connection to the pool (closed if it cannot be reused).
  func checkin(_ connection: BlockDataConnection) {
    if let pool = connections.withLock({ $0 }) { pool.checkin(connection) }
  }

  /// The live workers, refreshed after `goosefs.user.worker.list.refresh.interval` or on demand
  /// (a worker failed, or no worker was known).
  func placement(
    forceRefresh: Bool = false, fetch: () async throws -> [WorkerInfo]
  ) async throws -> WorkerPlacement {
    let settings = try settings()
    if !forceRefresh, let cached = placementCache.withLock({ $0 }),
      ContinuousClock.now - cached.fetched < settings.workerListRefresh, !cached.placement.workers.isEmpty
    {
      return cached.placement
    }
    let placement = WorkerPlacement(workers: try await fetch(), clientHostname: settings.hostname)
    placementCache.withLock { $0 = (placement, .now) }
    return placement
  }

  /// Bytes read short-circuit, which no worker sees; reported to the master by the client.
  func addLocalBytes(_ count: Int) {
    unreportedLocalBytes.withLock { $0 += Int64(count) }
  }

  func takeLocalBytes() -> Int64 {
    unreportedLocalBytes.withLock { value in
      defer { value = 0 }
      return value
    }
  }

  func restoreLocalBytes(_ count: Int64) {
    unreportedLocalBytes.withLock { $0 += count }
  }
}
