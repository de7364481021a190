import Foundation
import GooseFSCore
import Testing

@testable import GooseFSMaster

/// The master's orphan decision, on the real master in-process: a block a worker reports is
/// deleted when no file references it, never while its file is being written.
@Suite struct OrphanBlockTests {
  let fixture: MasterFixture
  let worker = WorkerNetAddress(host: "10.0.0.1", rpcPort: 9203)
  static let tiers = [TierCapacity(alias: "MEM", capacityBytes: 1 << 30, usedBytes: 0)]
  static let blockSize: Int64 = 1 << 20

  init() throws { fixture = try MasterFixture() }

  func create(_ master: FileSystemMaster, _ path: String, persist: Bool = false) async throws -> FileInfo {
    try await master.createFile(
      CreateFileRequest(
        path: path, recursive: true, mode: nil, blockSizeBytes: Self.blockSize, ttlMs: nil, ttlAction: .delete,
        replicationMin: 0, replicationMax: -1, persist: persist, overwrite: false),
      caller: fixture.superuser)
  }

  /// A file of `blocks` full blocks, completed.
  func written(_ master: FileSystemMaster, _ path: String, blocks: Int64) async throws -> [Int64] {
    let info = try await create(master, path)
    _ = try await master.completeFile(path, length: blocks * Self.blockSize, ufsFingerprint: "", caller: fixture.superuser)
    return (0..<blocks).map { BlockID.make(container: info.blockContainerID, index: $0) }
  }

  func register(_ master: FileSystemMaster, _ id: Int64, _ blocks: [Int64]) async throws {
    try await master.registerWorker(
      id: id, address: worker, tiers: Self.tiers, blocks: blocks.map { ($0, "MEM") }, startTimeMs: 1, usageSequence: 0)
  }

  func beat(_ master: FileSystemMaster, _ id: Int64, added: [Int64] = []) async throws -> BlockMaster.HeartbeatCommands {
    try await master.workerHeartbeat(
      id: id, tiers: Self.tiers, usageSequence: 0, added: added.map { ($0, "MEM") }, removed: [], metricDeltas: [:])
  }

  @Test func theDecisionFollowsTheFilesBlocksAndItsContainerWhileItIsOpen() async throws {
    defer { fixture.cleanUp() }
    let (master, namespace) = try await fixture.open()
    let open = try await create(master, "/open")
    let done = try await written(master, "/done", blocks: 2)
    let doneContainer = BlockID.container(of: done[0])
    namespace.read { state in
      #expect(!state.isOrphan(block: BlockID.make(container: open.blockContainerID, index: 5)), "being written")
      #expect(!state.isOrphan(block: done[0]) && !state.isOrphan(block: done[1]))
      #expect(state.isOrphan(block: BlockID.make(container: doneContainer, index: 2)), "past the completed length")
      #expect(state.isOrphan(block: BlockID.make(container: 9999, index: 0)), "no file has this container")
    }
    try await master.remove("/done", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    try await master.remove("/open", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    namespace.read { state in
      #expect(state.isOrphan(block: done[0]))
      #expect(state.isOrphan(block: BlockID.make(container: open.blockContainerID, index: 0)))
    }
  }

  @Test func aReplayedNamespaceDecidesTheSame() async throws {
    defer { fixture.cleanUp() }
    let (master, namespace) = try await fixture.open()
    let kept = try await written(master, "/d/kept", blocks: 1)
    let gone = try await written(master, "/d/gone", blocks: 1)
    try await master.remove("/d/gone", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    namespace.close()
    let (_, replayed) = try await fixture.open()
    defer { replayed.close() }
    replayed.read { state in
      #expect(!state.isOrphan(block: kept[0]))
      #expect(state.isOrphan(block: gone[0]))
    }
  }

  /// The quickstart report: a worker down while its file was removed registers the blocks again.
  @Test func blocksOfRemovedFilesReportedAtRegistrationAreFreedWithTheNextHeartbeat() async throws {
    defer { fixture.cleanUp() }
    let (master, _) = try await fixture.open()
    let kept = try await written(master, "/kept", blocks: 1)
    let gone = try await written(master, "/gone", blocks: 2)
    let open = try await create(master, "/open")
    let inFlight = BlockID.make(container: open.blockContainerID, index: 0)
    try await master.remove("/gone", recursive: false, goosefsOnly: false, caller: fixture.superuser)

    let id = master.blockMaster.workerID(for: worker)
    try await register(master, id, kept + gone + [inFlight])
    #expect(master.blockMaster.locations(of: gone).values.allSatisfy { $0.isEmpty }, "orphans are not offered to readers")
    #expect(master.blockMaster.locations(of: kept + [inFlight]).values.allSatisfy { $0.count == 1 })
    #expect(try await beat(master, id).free == gone.sorted())
    #expect(try await beat(master, id).free.isEmpty, "told once")
  }

  @Test func anOrphanInAHeartbeatOrACommitIsFreedAtOnce() async throws {
    defer { fixture.cleanUp() }
    let (master, _) = try await fixture.open()
    let id = master.blockMaster.workerID(for: worker)
    try await register(master, id, [])
    let open = try await create(master, "/writing")
    let first = BlockID.make(container: open.blockContainerID, index: 0)
    let second = BlockID.make(container: open.blockContainerID, index: 1)
    // The writer commits block 0, the file is removed, then it commits block 1.
    try await master.commitBlock(worker: id, block: first, tier: "MEM", tiers: Self.tiers, usageSequence: 0)
    try await master.remove("/writing", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    try await master.commitBlock(worker: id, block: second, tier: "MEM", tiers: Self.tiers, usageSequence: 0)
    // Block 0 is freed by the removal (its container), block 1 by the commit's check.
    #expect(Set(try await beat(master, id, added: [first, second]).free) == [first, second])
    #expect(master.blockMaster.locations(of: [first, second]).values.allSatisfy { $0.isEmpty })
    #expect(try await beat(master, id).free.isEmpty)
  }

  @Test func aRemovedFileIsNotPersistedByAWorkerThatComesBack() async throws {
    defer { fixture.cleanUp() }
    let (master, _) = try await fixture.open()
    let blocks = try await written(master, "/async", blocks: 1)
    let id = master.blockMaster.workerID(for: worker)
    try await register(master, id, blocks)
    try await master.schedulePersist("/async", caller: fixture.superuser)
    #expect(master.blockMaster.isPersistScheduled(fileID: try await fileID(master, "/async")))
    try await master.remove("/async", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    try await register(master, id, blocks)
    let commands = try await beat(master, id)
    #expect(commands.persist.isEmpty)
    #expect(commands.free == blocks)
  }

  /// A worker already writing the file when it is removed: its copy in the under store goes too.
  @Test func aPersistCommittedAfterItsFileWasRemovedDeletesTheUnderStoreCopy() async throws {
    defer { fixture.cleanUp() }
    let (master, _) = try await fixture.open()
    let blocks = try await written(master, "/late", blocks: 1)
    let file = try await fileID(master, "/late")
    let id = master.blockMaster.workerID(for: worker)
    try await register(master, id, blocks)
    try await master.schedulePersist("/late", caller: fixture.superuser)
    #expect(try await beat(master, id).persist.map(\.fileID) == [file])
    let ufsPath = try master.currentInfo("/late").ufsPath
    try await master.remove("/late", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    // The worker finishes: it wrote the under-store file.
    try fixture.write("late", "bytes")
    let ufs = try master.ufsManager.client(for: try #require(master.namespace.read { $0.mounts.values.first }))
    let fingerprint = try #require(try await ufs.status(ufsPath)?.fingerprint)
    try await master.commitPersist(fileID: file, fingerprint: fingerprint, failure: nil)
    #expect(!fixture.ufsExists("late"))
    #expect(!master.blockMaster.isPersistScheduled(fileID: file))
  }

  /// A file changed or deleted in the under store gets new block ids or goes: the cached copies
  /// of its old content are freed by the sync that notices.
  @Test func aSyncThatReplacesOrDropsAFileFreesItsOldBlocks() async throws {
    defer { fixture.cleanUp() }
    try fixture.write("changes", "one")
    try fixture.write("vanishes", "two")
    let (master, _) = try await fixture.open(syncIntervalMs: 0)
    let changes = try await master.getStatus("/changes", syncIntervalMs: nil, caller: fixture.superuser).blockIDs
    let vanishes = try await master.getStatus("/vanishes", syncIntervalMs: nil, caller: fixture.superuser).blockIDs
    let id = master.blockMaster.workerID(for: worker)
    try await register(master, id, changes + vanishes)
    try fixture.write("changes", "one, then more")
    try FileManager.default.removeItem(at: fixture.ufsRoot.appendingPathComponent("vanishes"))
    let changed = try await master.getStatus("/changes", syncIntervalMs: 0, caller: fixture.superuser).blockIDs
    // That sync listed "/": it also saw /vanishes gone.
    #expect(changed != changes)
    #expect(Set(try await beat(master, id).free) == Set(changes + vanishes))
  }

  func fileID(_ master: FileSystemMaster, _ path: String) async throws -> Int64 {
    try master.namespace.read { state in try #require(state.inode(at: path)).id }
  }
}
