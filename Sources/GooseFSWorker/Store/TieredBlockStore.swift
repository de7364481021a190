import Glibc
import GooseFSCore
import Logging
import Synchronization

/// The worker's tiered block store: committed block files in tier directories, their accounting,
/// read leases, writers and eviction.
///
/// Eviction policy:
/// - Each directory's capacity is its quota; a tier's capacity is the sum over its directories.
///   Used bytes count committed blocks *and* reservations of blocks being written or moved in, and
///   never exceed a directory's quota: space is reserved before it is written. (The ~100-byte
///   metadata sidecars are not counted.)
/// - New blocks go to the requested tier (the top one by default), in its directory with the most
///   free space; a writer then grows its reservation in that directory as it writes.
/// - When a reservation does not fit, the least recently used blocks of that directory (or tier)
///   are evicted until it fits (plus `freeAheadBytes`). Reads and commits make a block most
///   recently used. Never evicted: blocks with a read lease, blocks of pinned containers
///   (`blockID >> 24`), blocks that are not persisted (the only copy), blocks being written or moved.
/// - An evicted block is *moved* to the next lower tier when a directory there has room without
///   evicting anything, else deleted.
/// - If evicting every evictable block would still not make room, nothing is evicted and the write
///   fails with `resourceExhausted` naming the tier, the directory and the sizes; reads of stored
///   blocks keep working.
/// - A tier above its high watermark (used > high × capacity) is brought down to its low watermark
///   by the same rules, after any commit that leaves it above, and whenever the worker calls
///   `freeSpaceToLowWatermark()` (its periodic check).
///
/// Concurrency: one Mutex guards the table and the accounting for short, I/O-free sections. File
/// work happens outside it. Whatever makes room (evictions, moves, promotions, metadata rewrites)
/// is serialised by a second lock, `spaceLock`, so that two writers short of space do not evict
/// twice as much and a move never races another move of the same block. Readers never take it.
/// The calls that do file I/O (`createBlock`, `BlockWriter.write`/`commit`/`abort`, `openForRead`,
/// `promote`, `remove`, eviction) exist twice: a synchronous form that does the I/O on the
/// caller's thread, `noasync` so that async code cannot call it by mistake, and an async form
/// (TieredBlockStore+Executor.swift) that runs it on `executor`, the worker's I/O threads.
public final class TieredBlockStore: Sendable {
  public struct Options: Sendable {
    /// fsync block files and metadata before renaming them into place, so that a power loss never
    /// leaves a metadata record for data that did not reach the disk.
    public var syncOnCommit = true
    /// Write blocks with O_DIRECT in directories whose medium is not MEM (see `DirectIO`).
    public var directWrites = false
    /// Test hook: runs on the I/O thread right before a block file's fsync, with the block id, so
    /// a test can make one disk slow (hold the call) and see what else is delayed by it.
    public var beforeSync: (@Sendable (Int64) -> Void)?

    public init(syncOnCommit: Bool = true, directWrites: Bool = false, beforeSync: (@Sendable (Int64) -> Void)? = nil) {
      self.syncOnCommit = syncOnCommit
      self.directWrites = directWrites
      self.beforeSync = beforeSync
    }
  }

  public let layout: BlockStoreLayout
  /// The cluster new blocks are recorded for; changes only through `adoptCluster`.
  public var clusterID: String { cluster.withLock { $0 } }
  private let cluster: Mutex<String>
  let io: any BlockFileIO
  /// Where the async forms of the store's calls do their file I/O.
  public let executor: BlockIOExecutor
  let logger: Logger
  let options: Options
  let locations: [DirectoryLocation]
  let state: Mutex<StoreState>
  let spaceLock = Mutex<Void>(())

  /// Opens (creating if needed) every directory, discards partial blocks, reloads committed ones
  /// that belong to `clusterID` and deletes the others, then evicts down to the low watermarks if
  /// quotas shrank since the last run.
  @available(*, noasync, message: "opening reads every directory: use TieredBlockStore.open on the I/O executor")
  public init(
    layout: BlockStoreLayout, clusterID: String, io: any BlockFileIO, executor: BlockIOExecutor, logger: Logger,
    options: Options = Options()
  ) throws {
    try layout.validate()
    guard !clusterID.isEmpty, !clusterID.contains(where: \.isNewline) else {
      throw GooseFSError(.invalidArgument, "The block store needs the cluster id from the master, got \"\(clusterID)\"")
    }
    self.layout = layout
    self.cluster = Mutex(clusterID)
    self.io = io
    self.executor = executor
    self.logger = logger
    self.options = options
    var locations: [DirectoryLocation] = []
    for (level, tier) in layout.tiers.enumerated() {
      for directory in tier.directories {
        let blocksFolder = BlockStoreLayout.normalized(directory.path) + "/" + layout.dataFolder
        locations.append(
          DirectoryLocation(
            tier: level, tierAlias: tier.alias, path: directory.path, mediumType: directory.mediumType,
            quotaBytes: directory.quotaBytes, blocksFolder: blocksFolder,
            temporaryFolder: blocksFolder + "/" + layout.temporaryFolder))
      }
    }
    self.locations = locations

    var initial = StoreState(directories: locations.map(DirectoryState.init), tierCount: layout.tiers.count)
    let loaded = try BlockStoreLoader.load(locations, clusterID: clusterID, logger: logger)
    for block in loaded.sorted(by: { $0.modifiedNanoseconds < $1.modifiedNanoseconds }) {
      initial.directories[block.directory].committedBytes += block.length
      initial.insert(
        block.blockID,
        BlockRecord(length: block.length, directory: block.directory, persisted: block.persisted, lastAccess: initial.nextTick()))
    }
    for directory in initial.directories where directory.usedBytes > directory.quotaBytes {
      logger.warning(
        "\(directory.location.name) holds \(ByteSize.format(directory.usedBytes)) of blocks, more than its quota of \(ByteSize.format(directory.quotaBytes)); evicting what can be evicted")
    }
    state = Mutex(initial)
    logger.info("Block store opened: \(loaded.count) blocks in \(locations.count) directories of \(layout.tiers.count) tiers")
    freeSpaceToLowWatermark()
  }

  // MARK: - Queries

  /// Tiers top first; used bytes include reservations of blocks being written or moved in.
  /// The master now serves another cluster (its journal was formatted): every cached block
  /// belongs to a namespace that no longer exists. Deletes them all and records new blocks for
  /// `newClusterID`.
  @available(*, noasync, message: "deletes files: use the async form")
  public func adoptCluster(_ newClusterID: String) {
    cluster.withLock { $0 = newClusterID }
    for block in blocks() {
      do {
        try remove(block.blockID)
      } catch {
        logger.warning("Could not delete block \(block.blockID) of the previous cluster: \(error)")
      }
    }
  }

  public func usage() -> [TierUsage] {
    state.withLock { tierUsage($0) }
  }

  /// The usage with an increasing snapshot number, taken under the same lock, so that the master
  /// can keep the newest of reports that cross on the way (a heartbeat and a block commit).
  public func numberedUsage() -> (sequence: UInt64, tiers: [TierUsage]) {
    state.withLock { state in
      state.usageSnapshots += 1
      return (state.usageSnapshots, tierUsage(state))
    }
  }

  private func tierUsage(_ state: StoreState) -> [TierUsage] {
    layout.tiers.indices.map { tier in
      let (capacity, used) = state.tierUsage(tier)
      return TierUsage(alias: layout.tiers[tier].alias, capacityBytes: capacity, usedBytes: used)
    }
  }

  /// Every committed block not being removed, by id.
  public func blocks() -> [StoredBlockInfo] {
    state.withLock { state in
      state.blocks.compactMap { id, record in record.removeRequested ? nil : info(id, record) }
    }.sorted { $0.blockID < $1.blockID }
  }

  public func contains(_ blockID: Int64) -> Bool {
    state.withLock { $0.visibleRecord(blockID) != nil }
  }

  public func blockInfo(_ blockID: Int64) -> StoredBlockInfo? {
    state.withLock { state in state.visibleRecord(blockID).map { info(blockID, $0) } }
  }

  func info(_ blockID: Int64, _ record: BlockRecord) -> StoredBlockInfo {
    let location = locations[record.directory]
    return StoredBlockInfo(
      blockID: blockID, length: record.length, tierAlias: location.tierAlias, path: location.blockPath(blockID),
      persisted: record.persisted)
  }

  func tierIndex(_ alias: String) throws -> Int {
    guard let index = layout.tiers.firstIndex(where: { $0.alias == alias.uppercased() }) else {
      throw GooseFSError(
        .invalidArgument, "This worker has no tier \(alias); its tiers are \(layout.tiers.map(\.alias).joined(separator: ", "))")
    }
    return index
  }

  // MARK: - Reading

  /// Opens a block for reading. Until the lease is released the block is not evicted, moved or
  /// deleted. Makes the block the most recently used of its directory.
  ///
  /// Throws `notFound` when the block is not stored here. A block that is recorded but whose file
  /// cannot be opened (deleted behind the worker's back, an I/O error) is unreadable: it is dropped
  /// from the store (the master hears of it with the next heartbeat) and the call throws `ioError`,
  /// so the caller can fetch the block again from the under store when it has one.
  /// Blocks read on this host without a lease (a client opened their files itself): they count
  /// as accessed now for the eviction order, as an OPEN_LOCAL would have. Unknown ids (evicted or
  /// removed since) are ignored.
  public func touch(_ blockIDs: [Int64]) {
    state.withLock { state in
      for blockID in blockIDs where state.visibleRecord(blockID) != nil { state.touch(blockID) }
    }
  }

  @available(*, noasync, message: "opens a file: use the async form")
  public func openForRead(_ blockID: Int64) throws -> BlockReadLease {
    let record = try state.withLock { state in
      guard var record = state.visibleRecord(blockID) else { throw Self.notStored(blockID) }
      record.leases += 1
      state.blocks[blockID] = record
      state.touch(blockID)
      return record
    }
    let location = locations[record.directory]
    let path = location.blockPath(blockID)
    do {
      let fd = try BlockFiles.open(path, O_RDONLY)
      return BlockReadLease(store: self, blockID: blockID, path: path, length: record.length, tierAlias: location.tierAlias, fd: fd)
    } catch let error as GooseFSError where error.code != .notFound && error.code != .ioError {
      // Out of descriptors, permission trouble: the block itself may be fine.
      releaseLease(blockID)
      throw Self.annotate(error, "Cannot open block \(blockID) in \(location.name)")
    } catch {
      releaseLease(blockID)
      logger.error("Block \(blockID) in \(location.name) is unreadable (\(error)); dropping it from the cache")
      do {
        try remove(blockID)
      } catch let error as GooseFSError where error.code == .notFound {
        // A concurrent reader found it unreadable too and dropped it first.
      } catch {
        logger.error("Could not drop unreadable block \(blockID): \(error)")
      }
      throw GooseFSError(.ioError, "Block \(blockID) in \(location.name) is unreadable and was dropped from the cache: \(error)")
    }
  }

  /// Gives back a lease; the last lease of a removed block deletes its files on this thread.
  func releaseLease(_ blockID: Int64) {
    if let deletion = detachLease(blockID) {
      deleteFiles(blockID, length: deletion.length, directory: deletion.directory, reason: "removed")
    }
  }

  /// The lease bookkeeping of a release; returns the block when its files are to be deleted.
  func detachLease(_ blockID: Int64) -> BlockRecord? {
    state.withLock { state -> BlockRecord? in
      guard var record = state.blocks[blockID] else { return nil }
      record.leases -= 1
      state.blocks[blockID] = record
      guard record.leases == 0, record.removeRequested, !record.moving else { return nil }
      return state.detach(blockID)
    }
  }

  // MARK: - Removing and flags

  /// Removes a block. A leased block disappears for new readers at once and its files are deleted
  /// when the last lease is released.
  @available(*, noasync, message: "deletes files: use the async form")
  public func remove(_ blockID: Int64) throws {
    let deletion = try state.withLock { state -> BlockRecord? in
      if state.writing.contains(blockID) {
        throw GooseFSError(.failedPrecondition, "Block \(blockID) is being written; its writer must abort it")
      }
      guard var record = state.visibleRecord(blockID) else { throw Self.notStored(blockID) }
      record.removeRequested = true
      state.blocks[blockID] = record
      state.changes[blockID] = .removed
      guard record.leases == 0, !record.moving else { return nil }
      return state.detach(blockID)
    }
    if let deletion { deleteFiles(blockID, length: deletion.length, directory: deletion.directory, reason: "removed") }
  }

  /// The blocks now have a copy in the under store, so they may be evicted. Their metadata records
  /// are rewritten so this survives a restart.
  @available(*, noasync, message: "rewrites metadata files: use the async form")
  public func markPersisted(_ blockIDs: [Int64]) {
    spaceLock.withLock { _ in
      let rewrites = state.withLock { state -> [(Int64, BlockRecord)] in
        blockIDs.compactMap { blockID in
          if state.writing.contains(blockID) {
            state.persistedWhileWriting.insert(blockID)
            return nil
          }
          guard var record = state.visibleRecord(blockID), !record.persisted else { return nil }
          record.persisted = true
          state.blocks[blockID] = record
          return (blockID, record)
        }
      }
      for (blockID, record) in rewrites {
        do {
          try writeMetadata(blockID, length: record.length, persisted: true, in: locations[record.directory])
        } catch {
          logger.error(
            "Block \(blockID) is persisted but its metadata could not be updated (\(error)); after a restart it will not be evicted until persisted again")
        }
      }
    }
  }

  /// Blocks of these containers (files) are never evicted; replaces the previous set.
  public func setPinnedContainers(_ containers: Set<Int64>) {
    state.withLock { $0.pinnedContainers = containers }
  }

  /// Changes since the previous call, for the heartbeat. Registration uses `blocks()` instead.
  public func drainChanges() -> BlockStoreChanges {
    state.withLock { state in
      var changes = BlockStoreChanges()
      for (blockID, change) in state.changes {
        switch change {
        case .added:
          if let record = state.visibleRecord(blockID) { changes.added.append(info(blockID, record)) }
        case .removed:
          changes.removed.append(blockID)
        }
      }
      state.changes.removeAll()
      changes.added.sort { $0.blockID < $1.blockID }
      changes.removed.sort()
      return changes
    }
  }

  // MARK: - Files

  func writeMetadata(_ blockID: Int64, length: Int64, persisted: Bool, in location: DirectoryLocation) throws {
    let record = BlockMetadataRecord(blockID: blockID, clusterID: clusterID, length: length, persisted: persisted)
    try BlockFiles.writeAtomically(
      record.encoded(), temporaryPath: location.temporaryPath(blockID, "meta"), path: location.metadataPath(blockID),
      sync: options.syncOnCommit)
  }

  /// Unlinks a detached block's files (metadata first: a crash in between leaves a block file
  /// without metadata, which start-up discards), then releases its bytes.
  func deleteFiles(_ blockID: Int64, length: Int64, directory: Int, reason: String) {
    let location = locations[directory]
    var deleted = true
    do {
      try BlockFiles.remove(location.metadataPath(blockID))
      try BlockFiles.remove(location.blockPath(blockID))
    } catch {
      deleted = false
      logger.error("Cannot delete block \(blockID) (\(reason)) in \(location.name): \(error); its space stays counted as used")
    }
    state.withLock { state in
      if deleted { state.release(length, committedIn: directory) }
      state.deleting.remove(blockID)
    }
    logger.debug("Deleted block \(blockID) (\(reason)) from \(location.name)")
  }

  // MARK: - Errors

  static func notStored(_ blockID: Int64) -> GooseFSError {
    GooseFSError(.notFound, "Block \(blockID) is not stored on this worker")
  }

  /// Keeps a GooseFSError's code and prefixes what the store was doing.
  static func annotate(_ error: any Error, _ context: String) -> GooseFSError {
    if let error = error as? GooseFSError { return GooseFSError(error.code, "\(context): \(error.message)") }
    return GooseFSError(.ioError, "\(context): \(error)")
  }
}
