import GooseFSCore

/// One worker as the block master tracks it.
struct WorkerRecord: Sendable {
  var id: Int64
  var address: WorkerNetAddress
  var tiers: [TierCapacity]
  var startTimeMs: Int64
  /// Monotonic time of the last register/heartbeat/commit.
  var lastContact: ContinuousClock.Instant
  var lost: Bool
  /// Whether the worker has sent its full block report since the master met it.
  var registered: Bool
  var blocks: Set<Int64> = []
  /// Number of the usage snapshot `tiers` came from (0: the worker does not number them).
  var usageSequence: UInt64 = 0

  /// Takes a usage snapshot unless a newer one was already taken: a heartbeat sampled before a
  /// block commit may arrive after it and must not undo the commit's usage.
  mutating func updateUsage(_ tiers: [TierCapacity], sequence: UInt64) {
    guard sequence == 0 || sequence > usageSequence else { return }
    self.tiers = tiers
    usageSequence = sequence
  }
}

/// The block master's memory: workers, where each block is cached, what workers must delete.
/// Locations are not journaled: after a master restart workers report them again.
struct WorkerRegistry: Sendable {
  var workers: [Int64: WorkerRecord] = [:]
  var idsByAddress: [String: Int64] = [:]
  /// blockID → (workerID → tier alias)
  var locations: [Int64: [Int64: String]] = [:]
  /// Blocks each worker must delete (free), delivered with its next heartbeat.
  var pendingFree: [Int64: Set<Int64>] = [:]
  var nextWorkerID: Int64 = 1

  mutating func workerID(for address: WorkerNetAddress, now: ContinuousClock.Instant) -> Int64 {
    if let id = idsByAddress[address.hostAndPort] { return id }
    let id = nextWorkerID
    nextWorkerID += 1
    idsByAddress[address.hostAndPort] = id
    workers[id] = WorkerRecord(
      id: id, address: address, tiers: [], startTimeMs: 0, lastContact: now, lost: false, registered: false)
    return id
  }

  /// Replaces everything known about the worker with its full report.
  mutating func register(
    id: Int64, address: WorkerNetAddress, tiers: [TierCapacity], blocks: [(Int64, String)], startTimeMs: Int64,
    usageSequence: UInt64 = 0, now: ContinuousClock.Instant
  ) {
    dropLocations(of: id)
    idsByAddress[address.hostAndPort] = id
    var record = WorkerRecord(
      id: id, address: address, tiers: tiers, startTimeMs: startTimeMs, lastContact: now, lost: false, registered: true,
      usageSequence: usageSequence)
    for (block, tier) in blocks {
      record.blocks.insert(block)
      locations[block, default: [:]][id] = tier
    }
    workers[id] = record
    pendingFree[id] = nil
    nextWorkerID = max(nextWorkerID, id + 1)
  }

  mutating func addBlock(_ block: Int64, tier: String, worker id: Int64) {
    guard workers[id] != nil else { return }
    workers[id]?.blocks.insert(block)
    locations[block, default: [:]][id] = tier
  }

  mutating func removeBlock(_ block: Int64, worker id: Int64) {
    workers[id]?.blocks.remove(block)
    locations[block]?[id] = nil
    if locations[block]?.isEmpty == true { locations[block] = nil }
  }

  mutating func dropLocations(of id: Int64) {
    guard let record = workers[id] else { return }
    for block in record.blocks {
      locations[block]?[id] = nil
      if locations[block]?.isEmpty == true { locations[block] = nil }
    }
    workers[id]?.blocks = []
  }

  /// Marks workers silent for longer than `timeout` lost and forgets their blocks.
  mutating func markLost(olderThan timeout: Duration, now: ContinuousClock.Instant) -> [WorkerRecord] {
    var lost: [WorkerRecord] = []
    for (id, record) in workers where !record.lost && now - record.lastContact > timeout {
      dropLocations(of: id)
      workers[id]?.lost = true
      workers[id]?.registered = false
      pendingFree[id] = nil
      lost.append(record)
    }
    return lost
  }

  func locations(of block: Int64) -> [BlockLocation] {
    guard let holders = locations[block] else { return [] }
    return holders.compactMap { id, tier in
      guard let worker = workers[id], !worker.lost else { return nil }
      return BlockLocation(workerID: id, address: worker.address, tierAlias: tier)
    }.sorted { $0.workerID < $1.workerID }
  }
}
