/// Whether a file's bytes are in the under store.
public enum PersistenceState: String, Sendable, CaseIterable {
  case notPersisted = "NOT_PERSISTED"
  case toBePersisted = "TO_BE_PERSISTED"
  case persisted = "PERSISTED"
  case lost = "LOST"
}

/// What the TTL checker does when a path's time to live has passed.
public enum TTLAction: String, Sendable, CaseIterable {
  /// Delete from GooseFS and from the under store.
  case delete = "DELETE"
  /// Drop cached blocks only; metadata and under-store data stay.
  case free = "FREE"

  /// Accepts the CLI spelling (`delete`, `free`) in any case.
  public init?(userText: String) {
    self.init(rawValue: userText.uppercased())
  }
}

public enum InodeKind: String, Sendable {
  case file
  case directory
  case symlink
}

/// What a client sees of one path: the CLI and FUSE render it, the master produces it.
public struct FileInfo: Sendable, Equatable {
  public var fileID: Int64
  public var name: String
  public var path: String
  public var ufsPath: String
  public var kind: InodeKind
  public var length: Int64
  public var blockSizeBytes: Int64
  public var creationTimeMs: Int64
  public var lastModificationTimeMs: Int64
  public var lastAccessTimeMs: Int64
  public var completed: Bool
  public var pinned: Bool
  public var cacheable: Bool
  public var persistenceState: PersistenceState
  public var blockIDs: [Int64]
  /// Milliseconds after creation; -1 means no TTL.
  public var ttlMs: Int64
  public var ttlAction: TTLAction
  public var owner: String
  public var group: String
  /// Permission bits (e.g. 0o755).
  public var mode: UInt32
  public var isMountPoint: Bool
  public var mountID: Int64
  public var inMemoryPercentage: Int32
  public var inGooseFSPercentage: Int32
  public var ufsFingerprint: String
  public var replicationMin: Int32
  /// -1 means unlimited.
  public var replicationMax: Int32
  public var symlinkTarget: String
  /// Directories: the number of direct children known to GooseFS.
  public var childCount: Int64
  /// Files: each block with where it is cached (filled by getStatus, not by listings).
  public var fileBlockInfos: [FileBlockInfo] = []
  /// Files: block `i` has id `BlockID.make(container: blockContainerID, index: i)`; writers need it
  /// before the file is complete.
  public var blockContainerID: Int64 = 0

  public var isDirectory: Bool { kind == .directory }
  public var isPersisted: Bool { persistenceState == .persisted }

  public init(
    fileID: Int64 = 0, name: String = "", path: String = "", ufsPath: String = "",
    kind: InodeKind = .file, length: Int64 = 0, blockSizeBytes: Int64 = 0,
    creationTimeMs: Int64 = 0, lastModificationTimeMs: Int64 = 0, lastAccessTimeMs: Int64 = 0,
    completed: Bool = true, pinned: Bool = false, cacheable: Bool = true,
    persistenceState: PersistenceState = .notPersisted, blockIDs: [Int64] = [],
    ttlMs: Int64 = -1, ttlAction: TTLAction = .delete, owner: String = "", group: String = "",
    mode: UInt32 = 0o644, isMountPoint: Bool = false, mountID: Int64 = 0,
    inMemoryPercentage: Int32 = 0, inGooseFSPercentage: Int32 = 0, ufsFingerprint: String = "",
    replicationMin: Int32 = 0, replicationMax: Int32 = -1, symlinkTarget: String = "",
    childCount: Int64 = 0
  ) {
    self.fileID = fileID
    self.name = name
    self.path = path
    self.ufsPath = ufsPath
    self.kind = kind
    self.length = length
    self.blockSizeBytes = blockSizeBytes
    self.creationTimeMs = creationTimeMs
    self.lastModificationTimeMs = lastModificationTimeMs
    self.lastAccessTimeMs = lastAccessTimeMs
    self.completed = completed
    self.pinned = pinned
    self.cacheable = cacheable
    self.persistenceState = persistenceState
    self.blockIDs = blockIDs
    self.ttlMs = ttlMs
    self.ttlAction = ttlAction
    self.owner = owner
    self.group = group
    self.mode = mode
    self.isMountPoint = isMountPoint
    self.mountID = mountID
    self.inMemoryPercentage = inMemoryPercentage
    self.inGooseFSPercentage = inGooseFSPercentage
    self.ufsFingerprint = ufsFingerprint
    self.replicationMin = replicationMin
    self.replicationMax = replicationMax
    self.symlinkTarget = symlinkTarget
    self.childCount = childCount
  }
}
