import Foundation
import GooseFSCore
import Logging
import Testing

@testable import GooseFSMaster

/// The block master's bookkeeping: registration, heartbeats, lost workers, free and persist commands.
@Suite struct BlockMasterTests {
  static func blockMaster(timeout: Duration = .seconds(60)) -> BlockMaster {
    var logger = Logger(label: "test")
    logger.logLevel = .error
    return BlockMaster(workerTimeout: timeout, logger: logger)
  }

  static let memTier = [TierCapacity(alias: "MEM", capacityBytes: 1000, usedBytes: 300)]

  @Test func registeredBlocksHaveLocationsAndCapacityIsSummed() {
    let master = Self.blockMaster()
    let a = WorkerNetAddress(host: "10.0.0.1", rpcPort: 9203)
    let b = WorkerNetAddress(host: "10.0.0.2", rpcPort: 9203)
    let idA = master.workerID(for: a)
    let idB = master.workerID(for: b)
    #expect(idA != idB)
    #expect(master.workerID(for: a) == idA, "the same address keeps its id")
    master.register(id: idA, address: a, tiers: Self.memTier, blocks: [(7, "MEM")], startTimeMs: 1)
    master.register(id: idB, address: b, tiers: Self.memTier, blocks: [(7, "MEM"), (8, "MEM")], startTimeMs: 1)
    #expect(master.locations(of: [7])[7]?.map(\.workerID) == [idA, idB].sorted())
    let summary = master.capacitySummary()
    #expect(summary.live == 2)
    #expect(summary.tiers == [TierCapacity(alias: "MEM", capacityBytes: 2000, usedBytes: 600)])
  }

  @Test func heartbeatDeltasMoveLocationsAndUnknownWorkersMustRegister() {
    let master = Self.blockMaster()
    let a = WorkerNetAddress(host: "h", rpcPort: 1)
    #expect(master.heartbeat(id: 42, tiers: [], added: [], removed: [], metricDeltas: [:]).mustRegister)
    let id = master.workerID(for: a)
    #expect(master.heartbeat(id: id, tiers: [], added: [], removed: [], metricDeltas: [:]).mustRegister, "id given but no report yet")
    master.register(id: id, address: a, tiers: Self.memTier, blocks: [(1, "MEM")], startTimeMs: 0)
    let commands = master.heartbeat(id: id, tiers: Self.memTier, added: [(2, "SSD")], removed: [1], metricDeltas: [:])
    #expect(!commands.mustRegister)
    #expect(master.locations(of: [1])[1] == [])
    #expect(master.locations(of: [2])[2]?.first?.tierAlias == "SSD")
  }

  /// A heartbeat sampled before a block commit may arrive after it; the commit's usage stays.
  @Test func theNewestUsageSnapshotWinsWhateverOrderReportsArriveIn() throws {
    let master = Self.blockMaster()
    let a = WorkerNetAddress(host: "h", rpcPort: 1)
    let id = master.workerID(for: a)
    func used(_ bytes: Int64) -> [TierCapacity] { [TierCapacity(alias: "MEM", capacityBytes: 1000, usedBytes: bytes)] }
    func usedNow() -> Int64? { master.capacitySummary().tiers.first?.usedBytes }
    master.register(id: id, address: a, tiers: used(0), blocks: [], startTimeMs: 0, usageSequence: 1)
    try master.commitBlock(worker: id, block: 5, tier: "MEM", tiers: used(100), usageSequence: 3)
    _ = master.heartbeat(id: id, tiers: used(0), usageSequence: 2, added: [], removed: [], metricDeltas: [:])
    #expect(usedNow() == 100, "the older heartbeat snapshot is ignored")
    _ = master.heartbeat(id: id, tiers: used(120), usageSequence: 4, added: [], removed: [], metricDeltas: [:])
    #expect(usedNow() == 120)
    _ = master.heartbeat(id: id, tiers: used(90), added: [], removed: [], metricDeltas: [:])
    #expect(usedNow() == 90, "unnumbered reports (older workers) always apply")
    // A restarted worker numbers from 1 again: registering resets the number.
    master.register(id: id, address: a, tiers: used(10), blocks: [], startTimeMs: 1, usageSequence: 1)
    _ = master.heartbeat(id: id, tiers: used(20), usageSequence: 2, added: [], removed: [], metricDeltas: [:])
    #expect(usedNow() == 20)
  }

  @Test func silentWorkersAreLostWithTheirLocationsAndComeBackByRegistering() {
    let master = Self.blockMaster(timeout: .seconds(5))
    let a = WorkerNetAddress(host: "h", rpcPort: 1)
    let id = master.workerID(for: a)
    master.register(id: id, address: a, tiers: Self.memTier, blocks: [(1, "MEM")], startTimeMs: 0)
    master.detectLostWorkers(now: .now + .seconds(1))
    #expect(master.capacitySummary().live == 1)
    master.detectLostWorkers(now: .now + .seconds(10))
    #expect(master.capacitySummary().live == 0)
    #expect(master.capacitySummary().lost == 1)
    #expect(master.locations(of: [1])[1] == [])
    #expect(master.heartbeat(id: id, tiers: [], added: [], removed: [], metricDeltas: [:]).mustRegister)
    master.register(id: master.workerID(for: a), address: a, tiers: Self.memTier, blocks: [(1, "MEM")], startTimeMs: 0)
    #expect(master.capacitySummary().live == 1)
    #expect(master.locations(of: [1])[1]?.count == 1)
  }

  @Test func freeDropsLocationsAndTellsTheHoldersOnce() {
    let master = Self.blockMaster()
    let a = WorkerNetAddress(host: "h", rpcPort: 1)
    let id = master.workerID(for: a)
    master.register(id: id, address: a, tiers: Self.memTier, blocks: [(1, "MEM"), (2, "MEM")], startTimeMs: 0)
    #expect(master.free([1, 3]).copies == 1)
    #expect(master.locations(of: [1])[1] == [])
    #expect(master.heartbeat(id: id, tiers: [], added: [], removed: [], metricDeltas: [:]).free == [1])
    #expect(master.heartbeat(id: id, tiers: [], added: [], removed: [], metricDeltas: [:]).free == [])
  }

  @Test func persistJobsGoToTheHolderOfTheFirstBlockAndMoveOnWhenItIsLost() {
    let master = Self.blockMaster(timeout: .seconds(5))
    let a = WorkerNetAddress(host: "a", rpcPort: 1)
    let b = WorkerNetAddress(host: "b", rpcPort: 1)
    let idA = master.workerID(for: a)
    let idB = master.workerID(for: b)
    master.register(id: idA, address: a, tiers: Self.memTier, blocks: [(10, "MEM")], startTimeMs: 0)
    master.register(id: idB, address: b, tiers: Self.memTier, blocks: [(11, "MEM")], startTimeMs: 0)
    master.schedulePersist(
      PersistJob(
        fileID: 5, path: "/f", mountID: 1, ufsPath: "/u/f", length: 2,
        blocks: [FileBlockInfo(blockID: 10, offset: 0, length: 1), FileBlockInfo(blockID: 11, offset: 1, length: 1)]))
    #expect(master.heartbeat(id: idB, tiers: [], added: [], removed: [], metricDeltas: [:]).persist.isEmpty)
    #expect(master.heartbeat(id: idA, tiers: [], added: [], removed: [], metricDeltas: [:]).persist.map(\.fileID) == [5])
    #expect(master.heartbeat(id: idA, tiers: [], added: [], removed: [], metricDeltas: [:]).persist.isEmpty, "assigned once")
    // A loses contact: the job is handed to B, which holds the rest of the file.
    _ = master.heartbeat(id: idB, tiers: [], added: [], removed: [], metricDeltas: [:])
    master.detectLostWorkers(now: .now + .seconds(10))
    master.register(id: idB, address: b, tiers: Self.memTier, blocks: [(11, "MEM")], startTimeMs: 0)
    #expect(master.heartbeat(id: idB, tiers: [], added: [], removed: [], metricDeltas: [:]).persist.map(\.fileID) == [5])
  }

  /// A worker killed and restarted before it counts as lost lost its queued persist jobs with its
  /// process: the new process (another start time) gets them again; a re-registration of the same
  /// process (after a failed heartbeat) does not, so a running job is not written twice.
  @Test func aRestartedWorkerIsHandedItsPersistJobsAgain() {
    let master = Self.blockMaster()
    let a = WorkerNetAddress(host: "a", rpcPort: 1)
    let id = master.workerID(for: a)
    master.register(id: id, address: a, tiers: Self.memTier, blocks: [(10, "MEM")], startTimeMs: 100)
    master.schedulePersist(
      PersistJob(
        fileID: 5, path: "/f", mountID: 1, ufsPath: "/u/f", length: 1, blocks: [FileBlockInfo(blockID: 10, offset: 0, length: 1)]))
    #expect(master.heartbeat(id: id, tiers: [], added: [], removed: [], metricDeltas: [:]).persist.map(\.fileID) == [5])
    master.register(id: id, address: a, tiers: Self.memTier, blocks: [(10, "MEM")], startTimeMs: 100)
    #expect(master.heartbeat(id: id, tiers: [], added: [], removed: [], metricDeltas: [:]).persist.isEmpty, "same process")
    master.register(id: id, address: a, tiers: Self.memTier, blocks: [(10, "MEM")], startTimeMs: 200)
    #expect(master.heartbeat(id: id, tiers: [], added: [], removed: [], metricDeltas: [:]).persist.map(\.fileID) == [5])
  }

  @Test func clusterMetricsSumKnownCountersAndIgnoreInventedOnes() {
    let metrics = ClusterMetrics()
    metrics.add(["Cluster.BytesReadUfsAll": 100, "Cluster.Evil": 5, "Cluster.BytesReadRemote": -3])
    metrics.add(["Cluster.BytesReadUfsAll": 50])
    let values = Dictionary(uniqueKeysWithValues: metrics.snapshot().map { ($0.name, $0.value) })
    #expect(values["Cluster.BytesReadUfsAll"] == 150)
    #expect(values["Cluster.BytesReadUfsThroughput"] == 150)
    #expect(values["Cluster.BytesReadRemote"] == 0)
    #expect(values["Cluster.Evil"] == nil)
  }
}
