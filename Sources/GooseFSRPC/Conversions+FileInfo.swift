import GooseFSCore

// Conversions between the wire messages and the Core model. Kept in one place so every client
// and service agrees on them.

extension PersistenceState {
  public init(_ proto: Goosefs_Grpc_PersistenceState) {
    switch proto {
    case .notPersisted, .UNRECOGNIZED: self = .notPersisted
    case .toBePersisted: self = .toBePersisted
    case .persisted: self = .persisted
    case .lost: self = .lost
    }
  }

  public var proto: Goosefs_Grpc_PersistenceState {
    switch self {
    case .notPersisted: .notPersisted
    case .toBePersisted: .toBePersisted
    case .persisted: .persisted
    case .lost: .lost
    }
  }
}

extension TTLAction {
  public init(_ proto: Goosefs_Grpc_TtlAction) {
    self = proto == .ttlFree ? .free : .delete
  }

  public var proto: Goosefs_Grpc_TtlAction { self == .free ? .ttlFree : .ttlDelete }
}

extension InodeKind {
  public init(_ proto: Goosefs_Grpc_InodeKind) {
    switch proto {
    case .directory: self = .directory
    case .symlink: self = .symlink
    case .file, .UNRECOGNIZED: self = .file
    }
  }

  public var proto: Goosefs_Grpc_InodeKind {
    switch self {
    case .file: .file
    case .directory: .directory
    case .symlink: .symlink
    }
  }
}

extension FileInfo {
  public init(_ p: Goosefs_Grpc_FileInfo) {
    self.init(
      fileID: p.fileID, name: p.name, path: p.path, ufsPath: p.ufsPath, kind: InodeKind(p.kind),
      length: p.length, blockSizeBytes: p.blockSizeBytes, creationTimeMs: p.creationTimeMs,
      lastModificationTimeMs: p.lastModificationTimeMs, lastAccessTimeMs: p.lastAccessTimeMs,
      completed: p.completed, pinned: p.pinned, cacheable: p.cacheable,
      persistenceState: PersistenceState(p.persistenceState), blockIDs: p.blockIds, ttlMs: p.ttlMs,
      ttlAction: TTLAction(p.ttlAction), owner: p.owner, group: p.group, mode: p.mode,
      isMountPoint: p.mountPoint, mountID: p.mountID, inMemoryPercentage: p.inMemoryPercentage,
      inGooseFSPercentage: p.inGoosefsPercentage, ufsFingerprint: p.ufsFingerprint,
      replicationMin: p.replicationMin, replicationMax: p.replicationMax,
      symlinkTarget: p.symlinkTarget, childCount: p.childCount
    )
    fileBlockInfos = p.fileBlockInfos.map(FileBlockInfo.init)
    blockContainerID = p.blockContainerID
  }

  public var proto: Goosefs_Grpc_FileInfo {
    var p = Goosefs_Grpc_FileInfo()
    p.fileID = fileID
    p.name = name
    p.path = path
    p.ufsPath = ufsPath
    p.kind = kind.proto
    p.length = length
    p.blockSizeBytes = blockSizeBytes
    p.creationTimeMs = creationTimeMs
    p.lastModificationTimeMs = lastModificationTimeMs
    p.lastAccessTimeMs = lastAccessTimeMs
    p.completed = completed
    p.pinned = pinned
    p.cacheable = cacheable
    p.persistenceState = persistenceState.proto
    p.blockIds = blockIDs
    p.ttlMs = ttlMs
    p.ttlAction = ttlAction.proto
    p.owner = owner
    p.group = group
    p.mode = mode
    p.mountPoint = isMountPoint
    p.mountID = mountID
    p.inMemoryPercentage = inMemoryPercentage
    p.inGoosefsPercentage = inGooseFSPercentage
    p.ufsFingerprint = ufsFingerprint
    p.replicationMin = replicationMin
    p.replicationMax = replicationMax
    p.symlinkTarget = symlinkTarget
    p.childCount = childCount
    p.fileBlockInfos = fileBlockInfos.map(\.proto)
    p.blockContainerID = blockContainerID
    return p
  }
}
