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
  private let unreportedLocalBytes = Mutex<(bytes: Int64, lastReport: ContinuousClock.Instant?)>((0, nil))
  private let connections = Mutex<BlockConnectionPool?>(nil)
  /// Files closed whose completion in the namespace is still on its way to the master.
  let completions = CompletionsBehind()
  /// Short-circuit leases by local worker id.
  private let leaseTables = Mutex<[Int64: LocalLeaseTable]>([:])
  /// Gives back idle leases once they are older than the idle time; ends with the context.
  private let sweeper = Mutex<Task<Void, Never>?>(nil)

  init(configuration: Configuration) {
    self.configuration = configuration
  }

  deinit {
    sweeper.withLock { $0?.cancel() }
  }

  /// The lease table of a local worker (made on first use; the sweep starts with the first).
  func leases(for workerID: Int64, address: WorkerNetAddress) throws -> LocalLeaseTable {
    let limits = try settings().leaseLimits
    let (table, first) = leaseTables.withLock { tables -> (LocalLeaseTable, Bool) in
      // A worker that came back at another address gets a fresh table (and connection).
      if let table = tables[workerID], table.address == address { return (table, false) }
      let table = LocalLeaseTable(workerID: workerID, address: address, limits: limits)
      let first = tables.isEmpty
      tables[workerID] = table
      return (table, first)
    }
    if first { startSweeper(every: limits.idleTime) }
    return table
  }

  /// The lease tables made so far (no waiting, for `openLocallyNow`).
  func leaseTablesNow() -> [LocalLeaseTable] { leaseTables.withLock { Array($0.values) } }

  /// A periodic task, not a timer per lease: it holds the context weakly and is cancelled when
  /// the context goes away, so an idle client gives its leases back within twice the idle time.
  private func startSweeper(every period: Duration) {
    let task = Task { [weak self] in
      while !Task.isCancelled {
        do {
          try await Task.sleep(for: period)
        } catch {
          return  // cancelled: the context is gone
        }
        guard let tables = self?.leaseTables.withLock({ Array($0.values) }) else { return }
        for table in tables { await table.sweep() }
      }
    }
    sweeper.withLock { previous in
      previous?.cancel()
      previous = task
    }
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

  private let blockingReadsValue = Mutex<BlockingBlockReads?>(nil)

  /// Blocking READs for callers that may wait on their own thread (`readRemotelyNow`).
  func blockingReads() throws -> BlockingBlockReads {
    let settings = try settings()
    return blockingReadsValue.withLock { reads in
      if let reads { return reads }
      let made = BlockingBlockReads(timeout: settings.dataTimeout)
      reads = made
      return made
    }
  }

  private let localHosts = Mutex<[String: Bool]>([:])

  /// Whether a worker host is this machine (`LocalHost.isLocal`), remembered per name: the answer
  /// may take a name lookup, and callers ask it per read.
  func isLocalHost(_ host: String, clientHostname: String) -> Bool {
    if let known = localHosts.withLock({ $0[host] }) { return known }
    let local = LocalHost.isLocal(host, clientHostname: clientHostname)
    localHosts.withLock { $0[host] = local }
    return local
  }

  /// The live workers as last fetched, however old (nil before the first fetch): for callers that
  /// cannot wait and fall back to `placement` when what it says fails.
  func placementNow() -> WorkerPlacement? { placementCache.withLock { $0?.placement } }

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
    unreportedLocalBytes.withLock { $0.bytes += Int64(count) }
  }

  /// The bytes to report now: the first report of a client goes at once (a CLI that reads one
  /// file), later ones at most once per `interval` (a mount closing thousands of files a second
  /// must not call the master for each).
  func takeLocalBytes(interval: Duration) -> Int64 {
    let now = ContinuousClock.now
    return unreportedLocalBytes.withLock { value in
      guard value.bytes > 0 else { return 0 }
      if let last = value.lastReport, now - last < interval { return 0 }
      defer { value = (0, now) }
      return value.bytes
    }
  }

  func restoreLocalBytes(_ count: Int64) {
    unreportedLocalBytes.withLock { $0.bytes += count }
  }
}
