import GooseFSCore

/// Worker reports checked against the namespace: blocks that no file references are not
/// recorded and the worker is told to delete them (docs/architecture.md, "Orphaned blocks").
///
/// Each report is split and recorded under the namespace lock, so a file removed at the same
/// moment either is seen as removed here or finds the recorded block when it frees its blocks.
/// Deletion waits until the removal that made a block an orphan is durable: a crash before the
/// journal's fsync brings the file back, and its blocks must still be there.
extension FileSystemMaster {
  func registerWorker(
    id: Int64, address: WorkerNetAddress, tiers: [TierCapacity], blocks: [(Int64, String)], startTimeMs: Int64,
    usageSequence: UInt64
  ) async throws {
    let (orphans, sequence) = namespace.readWithSequence { state in
      let orphans = Set(blocks.lazy.map(\.0).filter { state.isOrphan(block: $0) })
      blockMaster.register(
        id: id, address: address, tiers: tiers, blocks: blocks.filter { !orphans.contains($0.0) },
        startTimeMs: startTimeMs, usageSequence: usageSequence)
      return orphans
    }
    try await deleteWhenDurable(orphans, on: id, sequence: sequence)
  }

  func workerHeartbeat(
    id: Int64, tiers: [TierCapacity], usageSequence: UInt64, added: [(Int64, String)], removed: [Int64],
    metricDeltas: [String: Double]
  ) async throws -> BlockMaster.HeartbeatCommands {
    let ((orphans, commands), sequence) = namespace.readWithSequence { state in
      let orphans = Set(added.lazy.map(\.0).filter { state.isOrphan(block: $0) })
      let commands = blockMaster.heartbeat(
        id: id, tiers: tiers, usageSequence: usageSequence, added: added.filter { !orphans.contains($0.0) },
        removed: removed, metricDeltas: metricDeltas)
      return (orphans, commands)
    }
    guard !commands.mustRegister else { return commands }
    var answer = commands
    try await deleteWhenDurable(orphans, on: id, sequence: sequence)
    // This answer already carries them: no need to wait a heartbeat.
    answer.free = Set(answer.free).union(blockMaster.takePendingFree(of: id)).sorted()
    return answer
  }

  func commitBlock(worker: Int64, block: Int64, tier: String, tiers: [TierCapacity], usageSequence: UInt64) async throws {
    let (orphan, sequence) = try namespace.readWithSequence { state in
      let orphan = state.isOrphan(block: block)
      try blockMaster.commitBlock(
        worker: worker, block: block, tier: tier, tiers: tiers, usageSequence: usageSequence, recordBlock: !orphan)
      return orphan
    }
    try await deleteWhenDurable(orphan ? [block] : [], on: worker, sequence: sequence)
  }

  /// `commitBlock` without suspending: the block's orphan check waits (in `whenDurable`) for the
  /// removal that made it one.
  func commitBlockNow(worker: Int64, block: Int64, tier: String, tiers: [TierCapacity], usageSequence: UInt64) throws
    -> (pending: JournaledNamespace.Pending, whenDurable: (@Sendable () -> Void)?)
  {
    let (orphan, sequence) = try namespace.readWithSequence { state in
      let orphan = state.isOrphan(block: block)
      try blockMaster.commitBlock(
        worker: worker, block: block, tier: tier, tiers: tiers, usageSequence: usageSequence, recordBlock: !orphan)
      return orphan
    }
    guard orphan else { return (namespace.pending(until: nil), nil) }
    let registry = blockMaster
    return (namespace.pending(until: sequence), { registry.deleteOrphans([block], on: worker) })
  }

  private func deleteWhenDurable(_ orphans: Set<Int64>, on worker: Int64, sequence: UInt64) async throws {
    guard !orphans.isEmpty else { return }
    try await namespace.waitUntilDurable(sequence)
    blockMaster.deleteOrphans(orphans, on: worker)
  }
}
