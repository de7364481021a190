import GooseFSCore
import Logging
import Synchronization

/// A file a worker must write to the under store (ASYNC_THROUGH, `fs persist`).
struct PersistJob: Sendable {
  var fileID: Int64
  var path: String
  var mountID: Int64
  var ufsPath: String
  var length: Int64
  var blocks: [FileBlockInfo]
  /// The worker it was handed to; nil until a worker holding its blocks heartbeats.
  var assignedWorker: Int64?
  /// The file was removed while `assignedWorker` was writing it: the copy it makes in the under
  /// store must be deleted when it reports back.
  var cancelled = false
}

/// Workers, capacities, block locations and the commands workers pick up with their heartbeats.
/// All state is memory: a restarted master tells unknown workers to register again.
final class BlockMaster: Sendable {
  private let registry = Mutex(WorkerRegistry())
  private let persistJobs = Mutex<[Int64: PersistJob]>([:])
  private let beats = HeartbeatWaiters()
  let metrics = ClusterMetrics()
  let workerTimeout: Duration
  let logger: Logger

  init(workerTimeout: Duration, logger: Logger) {
    self.workerTimeout = workerTimeout
    self.logger = logger
  }

  // MARK: Worker lifecycle

  func workerID(for address: WorkerNetAddress) -> Int64 {
    registry.withLock { $0.workerID(for: address, now: .now) }
  }

  func register(
    id: Int64, address: WorkerNetAddress, tiers: [TierCapacity], blocks: [(Int64, String)], startTimeMs: Int64,
    usageSequence: UInt64 = 0
  ) {
    let restarted = registry.withLock { registry -> Bool in
      let previousStart = registry.workers[id]?.startTimeMs
      registry.register(
        id: id, address: address, tiers: tiers, blocks: blocks, startTimeMs: startTimeMs, usageSequence: usageSequence,
        now: .now)
      return previousStart.map { $0 != 0 && $0 != startTimeMs } ?? false
    }
    if restarted {
      // A new process (killed and restarted within the lost-worker timeout) has an empty persist
      // queue: the jobs the old one held are handed out again rather than waiting forever.
      unassignPersists(of: id)
    }
    logger.info("Worker \(id) registered from \(address.hostAndPort) with \(blocks.count) blocks.")
  }

  struct HeartbeatCommands: Sendable {
    var mustRegister = false
    var free: [Int64] = []
    var persist: [PersistJob] = []
  }

  func heartbeat(
    id: Int64, tiers: [TierCapacity], usageSequence: UInt64 = 0, added: [(Int64, String)], removed: [Int64],
    metricDeltas: [String: Double]
  ) -> HeartbeatCommands {
    metrics.add(metricDeltas)
    let known = registry.withLock { registry -> Bool in
      guard let record = registry.workers[id], record.registered, !record.lost else { return false }
      registry.workers[id]?.lastContact = .now
      registry.workers[id]?.updateUsage(tiers, sequence: usageSequence)
      for (block, tier) in added { registry.addBlock(block, tier: tier, worker: id) }
      for block in removed { registry.removeBlock(block, worker: id) }
      return true
    }
    guard known else { return HeartbeatCommands(mustRegister: true) }
    beats.record(worker: id)
    var commands = HeartbeatCommands()
    commands.free = takePendingFree(of: id)
    commands.persist = assignPersistJobs(to: id)
    return commands
  }

  /// The blocks `worker` must delete, once: they go out with the heartbeat answer being built.
  func takePendingFree(of worker: Int64) -> [Int64] {
    registry.withLock { Array($0.pendingFree.removeValue(forKey: worker) ?? []).sorted() }
  }

  /// Forgets blocks no file references on `worker` and queues their deletion for its next
  /// heartbeat (the caller decided they are orphans against a durable namespace).
  func deleteOrphans(_ orphans: Set<Int64>, on worker: Int64) {
    guard !orphans.isEmpty else { return }
    let known = registry.withLock { registry -> Bool in
      guard let record = registry.workers[worker], !record.lost else { return false }
      for block in orphans { registry.removeBlock(block, worker: worker) }
      registry.pendingFree[worker, default: []].formUnion(orphans)
      return true
    }
    // A lost worker registers again and its report is checked then.
    guard known else { return }
    logger.info("Worker \(worker) holds \(orphans.count) blocks no file references (e.g. \(orphans.min()!)): deleting them.")
  }

  /// `recordBlock: false` takes the usage but not the block (an orphan, deleted by the caller).
  func commitBlock(
    worker id: Int64, block: Int64, tier: String, tiers: [TierCapacity], usageSequence: UInt64 = 0, recordBlock: Bool = true
  ) throws {
    try registry.withLock { registry in
      guard let record = registry.workers[id], !record.lost else {
        throw GooseFSError(.notFound, "Worker \(id) is not registered with this master.")
      }
      registry.workers[id]?.lastContact = .now
      if !tiers.isEmpty { registry.workers[id]?.updateUsage(tiers, sequence: usageSequence) }
      if recordBlock { registry.addBlock(block, tier: tier, worker: id) }
    }
  }

  /// Marks silent workers lost (their blocks are no longer offered to readers).
  func detectLostWorkers(now: ContinuousClock.Instant = .now) {
    let lost = registry.withLock { $0.markLost(olderThan: workerTimeout, now: now) }
    for worker in lost {
      logger.warning("Worker \(worker.id) at \(worker.address.hostAndPort) is lost: no heartbeat for \(workerTimeout).")
      unassignPersists(of: worker.id)
    }
  }

  /// The worker will not finish the persist jobs it was given (lost, or restarted).
  private func unassignPersists(of workerID: Int64) {
    persistJobs.withLock { jobs in
      for (fileID, job) in jobs where job.assignedWorker == workerID {
        // A cancelled job's file is gone: nobody is to write it again.
        if job.cancelled { jobs[fileID] = nil } else { jobs[fileID]?.assignedWorker = nil }
      }
    }
  }

  func runLostWorkerDetector(interval: Duration) async {
    while !Task.isCancelled {
      try? await Task.sleep(for: interval)
      detectLostWorkers()
    }
  }

  // MARK: Queries

  func workerInfos(includeLost: Bool) -> [WorkerInfo] {
    let now = ContinuousClock.now
    return registry.withLock { registry in
      registry.workers.values.filter { includeLost || !$0.lost }
        .filter { $0.registered || $0.lost }
        .sorted { $0.address.host == $1.address.host ? $0.address.rpcPort < $1.address.rpcPort : $0.address.host < $1.address.host }
        .map { record in
          WorkerInfo(
            id: record.id, address: record.address,
            lastContactSeconds: (now - record.lastContact).components.seconds,
            state: record.lost ? .lost : .live, tiers: record.tiers, startTimeMs: record.startTimeMs,
            blockCount: Int64(record.blocks.count))
        }
    }
  }

  func locations(of blocks: [Int64]) -> [Int64: [BlockLocation]] {
    registry.withLock { registry in
      var result: [Int64: [BlockLocation]] = [:]
      for block in blocks { result[block] = registry.locations(of: block) }
      return result
    }
  }

  /// Live/lost worker counts and capacity per tier alias over live workers (top tier first).
  func capacitySummary() -> (live: Int, lost: Int, tiers: [TierCapacity]) {
    let workers = workerInfos(includeLost: true)
    var order: [String] = []
    var sums: [String: (Int64, Int64)] = [:]
    for worker in workers where worker.state == .live {
      for tier in worker.tiers {
        if sums[tier.alias] == nil { order.append(tier.alias) }
        let (capacity, used) = sums[tier.alias] ?? (0, 0)
        sums[tier.alias] = (capacity + tier.capacityBytes, used + tier.usedBytes)
      }
    }
    let rank = ["MEM": 0, "SSD": 1, "HDD": 2]
    let tiers = order.sorted { (rank[$0] ?? 3, $0) < (rank[$1] ?? 3, $1) }.map {
      TierCapacity(alias: $0, capacityBytes: sums[$0]!.0, usedBytes: sums[$0]!.1)
    }
    return (workers.filter { $0.state == .live }.count, workers.filter { $0.state == .lost }.count, tiers)
  }

  // MARK: Commands for workers

  /// Forgets the cached copies of `blocks` and tells their workers to delete them; returns the
  /// copies dropped and the workers told.
  @discardableResult
  func free(_ blocks: [Int64]) -> (copies: Int, workers: Set<Int64>) {
    registry.withLock { registry in
      var count = 0
      var workers: Set<Int64> = []
      for block in blocks {
        guard let holders = registry.locations[block] else { continue }
        for worker in holders.keys {
          registry.pendingFree[worker, default: []].insert(block)
          registry.removeBlock(block, worker: worker)
          workers.insert(worker)
          count += 1
        }
      }
      return (count, workers)
    }
  }

  /// Every cached block of the given containers, on any worker: the blocks of files removed
  /// before they completed (their ids are not recorded in the inode yet).
  func cachedBlocks(inContainers containers: Set<Int64>) -> [Int64] {
    guard !containers.isEmpty else { return [] }
    return registry.withLock { registry in
      registry.locations.keys.filter { containers.contains(BlockID.container(of: $0)) }
    }
  }

  /// Waits until each worker has sent `count` more heartbeats (or `timeout` passed): after two,
  /// a worker has received a command and reported its new usage.
  func waitForHeartbeats(of workers: Set<Int64>, count: UInt64, timeout: Duration) async {
    await beats.wait(for: workers, count: count, timeout: timeout)
  }

  func schedulePersist(_ job: PersistJob) {
    persistJobs.withLock { jobs in
      if jobs[job.fileID] == nil { jobs[job.fileID] = job }
    }
  }

  func finishPersist(fileID: Int64) -> PersistJob? {
    persistJobs.withLock { $0.removeValue(forKey: fileID) }
  }

  /// `finishPersist`, except for a cancelled job, which stays for `finishPersist` (its copy in
  /// the under store is to be deleted); false then.
  func finishPersistUnlessCancelled(fileID: Int64) -> Bool {
    persistJobs.withLock { jobs in
      if jobs[fileID]?.cancelled == true { return false }
      jobs[fileID] = nil
      return true
    }
  }

  func persistFailed(fileID: Int64) {
    persistJobs.withLock { jobs in
      if jobs[fileID]?.cancelled == true { jobs[fileID] = nil } else { jobs[fileID]?.assignedWorker = nil }
    }
  }

  /// The files were removed: their jobs not yet handed out are dropped, the ones a worker is
  /// writing are marked so that the copy it reports is deleted from the under store.
  func cancelPersists(of fileIDs: [Int64]) {
    persistJobs.withLock { jobs in
      for fileID in fileIDs {
        guard let job = jobs[fileID] else { continue }
        if job.assignedWorker == nil { jobs[fileID] = nil } else { jobs[fileID]?.cancelled = true }
      }
    }
  }

  func isPersistScheduled(fileID: Int64) -> Bool {
    persistJobs.withLock { $0[fileID] != nil }
  }

  /// Hands unassigned jobs to this worker when it holds the file's first block (or any block when
  /// no live worker holds the first one); the worker fetches the rest from their holders.
  private func assignPersistJobs(to worker: Int64) -> [PersistJob] {
    let holdings = registry.withLock { registry -> (Set<Int64>, Set<Int64>) in
      let mine = registry.workers[worker]?.blocks ?? []
      return (mine, Set(registry.locations.keys))
    }
    return persistJobs.withLock { jobs in
      var assigned: [PersistJob] = []
      for (fileID, job) in jobs where job.assignedWorker == nil && !job.cancelled {
        let ids = job.blocks.map(\.blockID)
        let first = ids.first
        let holdsFirst = first.map { holdings.0.contains($0) } ?? true
        let firstHeldElsewhere = first.map { holdings.1.contains($0) } ?? false
        guard holdsFirst || (!firstHeldElsewhere && ids.contains(where: holdings.0.contains)) else { continue }
        jobs[fileID]?.assignedWorker = worker
        assigned.append(job)
      }
      return assigned
    }
  }
}
