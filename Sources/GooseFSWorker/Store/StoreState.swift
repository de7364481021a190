import GooseFSCore

/// Where one configured directory keeps its files. Immutable, so it is read without the lock.
struct DirectoryLocation: Sendable {
  let tier: Int
  let tierAlias: String
  let path: String
  let mediumType: String
  let quotaBytes: Int64
  /// `<path>/<dataFolder>`: committed block files and their metadata.
  let blocksFolder: String
  /// `<blocksFolder>/<temporaryFolder>`: blocks being written or copied in; emptied at start-up.
  let temporaryFolder: String

  func blockPath(_ blockID: Int64) -> String { "\(blocksFolder)/\(blockID)" }
  func metadataPath(_ blockID: Int64) -> String { "\(blocksFolder)/\(blockID).meta" }
  func temporaryPath(_ blockID: Int64, _ purpose: String) -> String {
    "\(temporaryFolder)/\(blockID)-\(purpose)-\(BlockFiles.uniqueSuffix())"
  }

  /// For messages: "tier MEM directory /mnt/ramdisk".
  var name: String { "tier \(tierAlias) directory \(path)" }
}

/// Space accounting of one directory. Its used bytes = committed block files + reservations, and
/// never exceed the quota: space is reserved before a byte is written or copied, and released only
/// after the file is gone.
struct DirectoryState {
  let location: DirectoryLocation
  /// Bytes of block files present, including files of evicted blocks not yet unlinked.
  var committedBytes: Int64 = 0
  /// Bytes promised to writers and to blocks being moved in.
  var reservedBytes: Int64 = 0
  /// Blocks whose record names this directory (sizes the LRU heap's rebuilds).
  var blockCount = 0
  var lru = LRUHeap()

  init(_ location: DirectoryLocation) { self.location = location }

  var tier: Int { location.tier }
  var quotaBytes: Int64 { location.quotaBytes }
  var usedBytes: Int64 { committedBytes + reservedBytes }
  var freeBytes: Int64 { quotaBytes - usedBytes }
}

/// A committed block.
struct BlockRecord {
  var length: Int64
  var directory: Int
  var persisted: Bool
  /// The store's clock at the last read or commit; orders eviction.
  var lastAccess: UInt64
  /// Open read leases; while positive the block is not evicted, moved or deleted.
  var leases = 0
  /// `remove` was called: hidden from readers, deleted when the last lease is released.
  var removeRequested = false
  /// Being copied to another tier; still readable from its current directory meanwhile.
  var moving = false
}

/// One step of making room, decided under the lock and carried out outside it.
enum EvictionStep {
  /// Copy to `to` (already reserved there), then delete the source if no lease appeared meanwhile.
  case demote(blockID: Int64, length: Int64, from: Int, to: Int)
  /// Already removed from the block table; unlink the files, then release `length` in `from`.
  case delete(blockID: Int64, length: Int64, from: Int)
}

/// Everything the store knows, guarded by one Mutex; no I/O happens while it is held.
struct StoreState {
  enum Change {
    case added
    case removed
  }

  var directories: [DirectoryState]
  /// Directory indexes per tier, top tier first.
  let tierDirectories: [[Int]]
  var blocks: [Int64: BlockRecord] = [:]
  /// Usage snapshots taken for the master so far (numbers them; see `numberedUsage`).
  var usageSnapshots: UInt64 = 0
  /// Ids with an open writer: a second writer or a removal is refused.
  var writing: Set<Int64> = []
  /// Ids evicted or removed whose files are being unlinked: a new writer must wait for that.
  var deleting: Set<Int64> = []
  /// `markPersisted` arrived while the block was still being written; applied at commit.
  var persistedWhileWriting: Set<Int64> = []
  var pinnedContainers: Set<Int64> = []
  var clock: UInt64 = 0
  /// The last change of each block since the previous drain.
  var changes: [Int64: Change] = [:]

  init(directories: [DirectoryState], tierCount: Int) {
    self.directories = directories
    tierDirectories = (0..<tierCount).map { tier in directories.indices.filter { directories[$0].tier == tier } }
  }

  // MARK: - Queries

  func visibleRecord(_ blockID: Int64) -> BlockRecord? {
    guard let record = blocks[blockID], !record.removeRequested else { return nil }
    return record
  }

  func isEvictable(_ blockID: Int64, _ record: BlockRecord) -> Bool {
    record.leases == 0 && !record.moving && !record.removeRequested && record.persisted
      && !pinnedContainers.contains(BlockID.container(of: blockID))
  }

  func tierUsage(_ tier: Int) -> (capacity: Int64, used: Int64) {
    tierDirectories[tier].reduce((Int64(0), Int64(0))) { sum, index in
      (sum.0 + directories[index].quotaBytes, sum.1 + directories[index].usedBytes)
    }
  }

  // MARK: - Changes to blocks

  mutating func nextTick() -> UInt64 {
    clock += 1
    return clock
  }

  /// Marks a read or a commit: the block becomes the most recently used of its directory.
  mutating func touch(_ blockID: Int64) {
    guard var record = blocks[blockID] else { return }
    record.lastAccess = nextTick()
    blocks[blockID] = record
    pushLRU(blockID, record)
  }

  mutating func pushLRU(_ blockID: Int64, _ record: BlockRecord) {
    let index = record.directory
    directories[index].lru.push(.init(tick: record.lastAccess, blockID: blockID))
    if directories[index].lru.count > 2 * directories[index].blockCount + 64 { rebuildLRU(index) }
  }

  /// Drops stale entries; O(blocks), run only when they outnumber live ones.
  mutating func rebuildLRU(_ index: Int) {
    let live = blocks.compactMap { id, record in
      record.directory == index && !record.removeRequested ? LRUHeap.Entry(tick: record.lastAccess, blockID: id) : nil
    }
    directories[index].lru.rebuild(live)
  }

  /// Adds a committed block (new, loaded at start-up, or arrived by a move).
  mutating func insert(_ blockID: Int64, _ record: BlockRecord) {
    blocks[blockID] = record
    directories[record.directory].blockCount += 1
    pushLRU(blockID, record)
  }

  /// Takes a block out of the table; its bytes stay committed until its files are unlinked.
  mutating func detach(_ blockID: Int64) -> BlockRecord? {
    guard let record = blocks.removeValue(forKey: blockID) else { return nil }
    directories[record.directory].blockCount -= 1
    deleting.insert(blockID)
    return record
  }

  // MARK: - Reservations

  /// Reserves `bytes` in the tier's directory with the most free space, if one has enough.
  mutating func reserveInTier(_ tier: Int, _ bytes: Int64) -> Int? {
    guard let index = tierDirectories[tier].max(by: { directories[$0].freeBytes < directories[$1].freeBytes }),
      directories[index].freeBytes >= bytes
    else { return nil }
    directories[index].reservedBytes += bytes
    return index
  }

  mutating func reserveInDirectory(_ index: Int, _ bytes: Int64) -> Bool {
    guard directories[index].freeBytes >= bytes else { return false }
    directories[index].reservedBytes += bytes
    return true
  }

  mutating func release(_ bytes: Int64, reservedIn index: Int) {
    directories[index].reservedBytes -= bytes
    precondition(directories[index].reservedBytes >= 0, "reservation accounting of \(directories[index].location.path) went negative")
  }

  mutating func release(_ bytes: Int64, committedIn index: Int) {
    directories[index].committedBytes -= bytes
    precondition(directories[index].committedBytes >= 0, "block accounting of \(directories[index].location.path) went negative")
  }
}
