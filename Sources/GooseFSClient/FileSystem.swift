import GooseFSCore

/// Options of `createFile`.
public struct CreateFileOptions: Sendable {
  public var recursive: Bool
  public var mode: UInt32?
  /// 0: the cluster default (goosefs.user.block.size.bytes.default).
  public var blockSizeBytes: Int64
  public var ttlMs: Int64?
  public var ttlAction: TTLAction
  public var replicationMin: Int32
  public var replicationMax: Int32
  /// Create the file in the under store too (write types CACHE_THROUGH / THROUGH).
  public var persist: Bool
  public var overwrite: Bool

  public init(
    recursive: Bool = false, mode: UInt32? = nil, blockSizeBytes: Int64 = 0, ttlMs: Int64? = nil,
    ttlAction: TTLAction = .delete, replicationMin: Int32 = 0, replicationMax: Int32 = -1,
    persist: Bool = false, overwrite: Bool = false
  ) {
    self.recursive = recursive
    self.mode = mode
    self.blockSizeBytes = blockSizeBytes
    self.ttlMs = ttlMs
    self.ttlAction = ttlAction
    self.replicationMin = replicationMin
    self.replicationMax = replicationMax
    self.persist = persist
    self.overwrite = overwrite
  }
}

/// Attributes to change with `setAttribute`; nil leaves a value as it is.
public struct SetAttributeOptions: Sendable {
  public var recursive: Bool
  public var mode: UInt32?
  public var owner: String?
  public var group: String?
  public var pinned: Bool?
  /// -1 removes the TTL.
  public var ttlMs: Int64?
  public var ttlAction: TTLAction?
  public var replicationMin: Int32?
  public var replicationMax: Int32?
  /// The namespace's modification time (kept by the master, not written to the under store).
  public var lastModificationTimeMs: Int64?

  public init(
    recursive: Bool = false, mode: UInt32? = nil, owner: String? = nil, group: String? = nil,
    pinned: Bool? = nil, ttlMs: Int64? = nil, ttlAction: TTLAction? = nil,
    replicationMin: Int32? = nil, replicationMax: Int32? = nil, lastModificationTimeMs: Int64? = nil
  ) {
    self.recursive = recursive
    self.mode = mode
    self.owner = owner
    self.group = group
    self.pinned = pinned
    self.ttlMs = ttlMs
    self.ttlAction = ttlAction
    self.replicationMin = replicationMin
    self.replicationMax = replicationMax
    self.lastModificationTimeMs = lastModificationTimeMs
  }
}

public struct MountOptions: Sendable {
  public var readOnly: Bool
  public var shared: Bool
  public var properties: [String: String]

  public init(readOnly: Bool = false, shared: Bool = false, properties: [String: String] = [:]) {
    self.readOnly = readOnly
    self.shared = shared
    self.properties = properties
  }
}

public struct ConsistencyReport: Sendable, Equatable {
  public var inconsistentPaths: [String]
  public var repairedCount: Int64
  public init(inconsistentPaths: [String], repairedCount: Int64) {
    self.inconsistentPaths = inconsistentPaths
    self.repairedCount = repairedCount
  }
}

/// The namespace operations a client (the CLI, later FUSE) performs against the master.
/// `syncIntervalMs` overrides goosefs.user.file.metadata.sync.interval for one call
/// (-1 never re-sync after the first load, 0 always, N when older than N ms); nil uses the default.
public protocol FileSystem: Sendable {
  func getStatus(_ path: String, syncIntervalMs: Int64?) async throws -> FileInfo
  /// Streams the listing page by page (`recursive` lists the whole subtree, parents first).
  func listStatus(
    _ path: String, recursive: Bool, syncIntervalMs: Int64?,
    onPage: @escaping @Sendable ([FileInfo]) async throws -> Void
  ) async throws
  func createDirectory(_ path: String, recursive: Bool, allowExists: Bool, mode: UInt32?) async throws -> FileInfo
  func createFile(_ path: String, options: CreateFileOptions) async throws -> FileInfo
  func completeFile(_ path: String, length: Int64) async throws -> FileInfo
  func remove(_ path: String, recursive: Bool, goosefsOnly: Bool) async throws
  func rename(_ source: String, to destination: String) async throws
  /// Returns the path's status after the change (nil for a recursive change, or from a master
  /// that does not send it).
  @discardableResult
  func setAttribute(_ path: String, _ options: SetAttributeOptions) async throws -> FileInfo?
  func mount(_ goosefsPath: String, ufsURI: String, options: MountOptions) async throws
  func unmount(_ goosefsPath: String) async throws
  func mountTable() async throws -> [MountPointInfo]
  /// Returns the number of paths visited.
  func loadMetadata(_ path: String, recursive: Bool, force: Bool) async throws -> Int64
  func checkConsistency(_ path: String, repair: Bool) async throws -> ConsistencyReport
  func masterInfo() async throws -> MasterInfo
  func metrics() async throws -> [MetricValue]
}

extension FileSystem {
  /// Collects a whole listing (use `listStatus(_:recursive:syncIntervalMs:onPage:)` to stream).
  public func listStatus(_ path: String, recursive: Bool = false, syncIntervalMs: Int64? = nil) async throws -> [FileInfo] {
    let collector = PageCollector()
    try await listStatus(path, recursive: recursive, syncIntervalMs: syncIntervalMs) { page in
      collector.append(page)
    }
    return collector.items
  }
}
