import GooseFSCore

/// A committed block as the store reports it (to the master's heartbeat, the data server, the CLI).
public struct StoredBlockInfo: Sendable, Hashable {
  public var blockID: Int64
  public var length: Int64
  public var tierAlias: String
  /// The block file; readers open it through `openForRead`, never directly.
  public var path: String
  /// false while this worker holds the only copy: such a block is never evicted.
  public var persisted: Bool

  public init(blockID: Int64, length: Int64, tierAlias: String, path: String, persisted: Bool) {
    self.blockID = blockID
    self.length = length
    self.tierAlias = tierAlias
    self.path = path
    self.persisted = persisted
  }
}

/// Capacity and use of one tier; used bytes include space reserved by blocks being written.
public typealias TierUsage = TierCapacity

/// What changed since the previous `drainChanges`, for the master's heartbeat. A block that moved
/// between tiers appears in `added` with its new tier; only the last change of a block counts.
public struct BlockStoreChanges: Sendable, Equatable {
  public var added: [StoredBlockInfo]
  public var removed: [Int64]

  public init(added: [StoredBlockInfo] = [], removed: [Int64] = []) {
    self.added = added
    self.removed = removed
  }

  public var isEmpty: Bool { added.isEmpty && removed.isEmpty }
}
