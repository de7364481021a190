import Foundation
import GooseFSClient
import GooseFSCore
import Synchronization

/// A tiny cluster in memory: a namespace, file bytes split into blocks, workers that cache
/// those blocks (see InMemoryFileSystem+Data.swift). Enough to exercise the CLI's parsing,
/// printing and data paths; the real master and workers are tested end to end elsewhere.
final class InMemoryFileSystem: DataFileSystem {
  struct State {
    var entries: [String: FileInfo] = [:]
    var mounts: [MountPointInfo] = []
    var nextID: Int64 = 1
    var calls: [String] = []
    var lastSyncInterval: Int64?? = .none
    var consistency = ConsistencyReport(inconsistentPaths: [], repairedCount: 0)
    var masterInfo = MasterInfo(
      leaderAddress: "172.18.0.2:20000", rpcPort: 20000, webPort: 20001, startTimeMs: 0,
      upTimeMs: 3_815_000, version: "1.4.5")
    var metrics: [MetricValue] = []

    // Data side (InMemoryFileSystem+Data.swift).
    /// Bytes and block placement of files written or seeded with contents.
    var data: [String: StoredData] = [:]
    var workers: [WorkerInfo] = []
    /// Host of the worker on "this machine", for `load --local`; nil: no local worker.
    var localHost: String?
    /// Block size of new files.
    var blockSize: Int64 = 64 << 20
    /// Most bytes one `read`/`pread` returns, so that callers' loops are exercised.
    var readChunkLimit = 1 << 20
    /// Injected failures.
    var failingCachePaths: Set<String> = []
    var failingWritePaths: Set<String> = []
    var failingPersistPaths: Set<String> = []
    /// Reads of these paths fail once this many bytes were returned (a worker dying mid-file).
    var failingReads: [String: Int] = [:]
  }

  let state = Mutex(State())

  init() {
    state.withLock {
      $0.entries["/"] = FileInfo(fileID: 0, name: "", path: "/", kind: .directory, owner: "root", group: "root", mode: 0o755)
      $0.mounts = [
        MountPointInfo(mountID: 1, goosefsPath: "/", ufsURI: "/underFSStorage", ufsType: "local", readOnly: false, shared: false, properties: [:], ufsCapacityBytes: 0, ufsUsedBytes: 0)
      ]
    }
  }

  var calls: [String] { state.withLock { $0.calls } }

  // MARK: seeding

  @discardableResult
  func addDirectory(_ path: String, mode: UInt32 = 0o755, pinned: Bool = false) -> FileInfo {
    add(FileInfo(name: NamespacePath.name(path), path: path, kind: .directory, pinned: pinned, owner: "root", group: "root", mode: mode))
  }

  @discardableResult
  func addFile(_ path: String, length: Int64, modified: Int64 = 0, pinned: Bool = false, blocks: [Int64] = []) -> FileInfo {
    add(FileInfo(
      name: NamespacePath.name(path), path: path, kind: .file, length: length, blockSizeBytes: 64 << 20,
      creationTimeMs: modified, lastModificationTimeMs: modified, pinned: pinned, persistenceState: .persisted,
      blockIDs: blocks, owner: "root", group: "root", mode: 0o644, inGooseFSPercentage: 100))
  }

  private func add(_ info: FileInfo) -> FileInfo {
    state.withLock { state in
      var info = info
      info.fileID = state.nextID
      state.nextID += 1
      state.entries[info.path] = info
      return info
    }
  }

  // MARK: FileSystem

  func getStatus(_ path: String, syncIntervalMs: Int64?) async throws -> FileInfo {
    try state.withLock { state in
      state.calls.append("getStatus \(path)")
      state.lastSyncInterval = .some(syncIntervalMs)
      guard var info = state.entries[path] else { throw GooseFSError.pathDoesNotExist(path) }
      if info.isDirectory { info.childCount = Int64(Self.children(of: path, in: state.entries).count) }
      return Self.withData(info, state, blockLocations: true)
    }
  }

  func listStatus(
    _ path: String, recursive: Bool, syncIntervalMs: Int64?,
    onPage: @escaping @Sendable ([FileInfo]) async throws -> Void
  ) async throws {
    let page: [FileInfo] = try state.withLock { state in
      state.calls.append("listStatus \(path) recursive=\(recursive)")
      state.lastSyncInterval = .some(syncIntervalMs)
      guard let info = state.entries[path] else { throw GooseFSError.pathDoesNotExist(path) }
      guard info.isDirectory else { return [info] }
      let selected = state.entries.values.filter { entry in
        entry.path != path && NamespacePath.isSelfOrDescendant(entry.path, of: path)
          && (recursive || NamespacePath.parent(entry.path) == path)
      }
      // Unsorted on purpose: the CLI must sort.
      return selected.map { entry in
        var entry = entry
        if entry.isDirectory { entry.childCount = Int64(Self.children(of: entry.path, in: state.entries).count) }
        // Like the real listing: percentages and block ids, but no block locations.
        return Self.withData(entry, state, blockLocations: false)
      }.shuffled()
    }
    try await onPage(page)
  }

  static func children(of path: String, in entries: [String: FileInfo]) -> [FileInfo] {
    entries.values.filter { $0.path != path && NamespacePath.parent($0.path) == path }
  }

  func createDirectory(_ path: String, recursive: Bool, allowExists: Bool, mode: UInt32?) async throws -> FileInfo {
    if let existing = state.withLock({ $0.entries[path] }) {
      guard allowExists, existing.isDirectory else { throw GooseFSError.pathAlreadyExists(path) }
      return existing
    }
    if !recursive, let parent = NamespacePath.parent(path), state.withLock({ $0.entries[parent] == nil }) {
      throw GooseFSError.pathDoesNotExist(parent)
    }
    if recursive, let parent = NamespacePath.parent(path), state.withLock({ $0.entries[parent] == nil }) {
      _ = try await createDirectory(parent, recursive: true, allowExists: true, mode: mode)
    }
    state.withLock { $0.calls.append("createDirectory \(path)") }
    return addDirectory(path)
  }

  func createFile(_ path: String, options: CreateFileOptions) async throws -> FileInfo {
    if state.withLock({ $0.entries[path] != nil }) { throw GooseFSError.pathAlreadyExists(path) }
    state.withLock { $0.calls.append("createFile \(path) recursive=\(options.recursive)") }
    var info = addFile(path, length: 0)
    info.completed = false
    return info
  }

  func completeFile(_ path: String, length: Int64) async throws -> FileInfo {
    state.withLock { $0.calls.append("completeFile \(path) \(length)") }
    return try await getStatus(path, syncIntervalMs: nil)
  }

  func remove(_ path: String, recursive: Bool, goosefsOnly: Bool) async throws {
    try state.withLock { state in
      guard state.entries[path] != nil else { throw GooseFSError.pathDoesNotExist(path) }
      state.calls.append("remove \(path) recursive=\(recursive) goosefsOnly=\(goosefsOnly)")
      for key in state.entries.keys where NamespacePath.isSelfOrDescendant(key, of: path) {
        state.entries[key] = nil
        Self.dropData(of: key, &state)
      }
    }
  }

  func rename(_ source: String, to destination: String) async throws {
    try state.withLock { state in
      guard let info = state.entries.removeValue(forKey: source) else { throw GooseFSError.pathDoesNotExist(source) }
      state.calls.append("rename \(source) \(destination)")
      var moved = info
      moved.path = destination
      moved.name = NamespacePath.name(destination)
      state.entries[destination] = moved
      state.data[destination] = state.data.removeValue(forKey: source)
    }
  }

  func setAttribute(_ path: String, _ options: SetAttributeOptions) async throws -> FileInfo? {
    try state.withLock { state in
      guard var info = state.entries[path] else { throw GooseFSError.pathDoesNotExist(path) }
      var call = "setAttribute \(path)"
      if let mode = options.mode { info.mode = mode; call += " mode=\(String(mode, radix: 8))" }
      if let owner = options.owner { info.owner = owner; call += " owner=\(owner)" }
      if let group = options.group { info.group = group; call += " group=\(group)" }
      if let pinned = options.pinned { info.pinned = pinned; call += " pinned=\(pinned)" }
      if let ttl = options.ttlMs { info.ttlMs = ttl; call += " ttl=\(ttl)" }
      if let action = options.ttlAction { info.ttlAction = action; call += " action=\(action.rawValue)" }
      if let maximum = options.replicationMax { info.replicationMax = maximum; call += " replicationMax=\(maximum)" }
      if let minimum = options.replicationMin { info.replicationMin = minimum; call += " replicationMin=\(minimum)" }
      if options.recursive { call += " recursive" }
      state.calls.append(call)
      state.entries[path] = info
      return options.recursive ? nil : info
    }
  }

  func mount(_ goosefsPath: String, ufsURI: String, options: MountOptions) async throws {
    state.withLock { state in
      state.calls.append("mount \(goosefsPath) \(ufsURI) readOnly=\(options.readOnly) shared=\(options.shared) \(options.properties.sorted { $0.key < $1.key })")
      state.mounts.append(MountPointInfo(
        mountID: Int64(state.mounts.count + 1), goosefsPath: goosefsPath, ufsURI: ufsURI, ufsType: "s3",
        readOnly: options.readOnly, shared: options.shared, properties: options.properties))
    }
    _ = addDirectory(goosefsPath)
  }

  func unmount(_ goosefsPath: String) async throws {
    try state.withLock { state in
      guard state.mounts.contains(where: { $0.goosefsPath == goosefsPath }) else {
        throw GooseFSError(.invalidArgument, "Failed to unmount \(goosefsPath): not a mount point.")
      }
      state.mounts.removeAll { $0.goosefsPath == goosefsPath }
      state.calls.append("unmount \(goosefsPath)")
    }
  }

  func mountTable() async throws -> [MountPointInfo] { state.withLock { $0.mounts } }

  func loadMetadata(_ path: String, recursive: Bool, force: Bool) async throws -> Int64 {
    state.withLock { $0.calls.append("loadMetadata \(path) recursive=\(recursive) force=\(force)") }
    return 1
  }

  func checkConsistency(_ path: String, repair: Bool) async throws -> ConsistencyReport {
    state.withLock { state in
      state.calls.append("checkConsistency \(path) repair=\(repair)")
      return state.consistency
    }
  }

  func masterInfo() async throws -> MasterInfo { state.withLock { $0.masterInfo } }
  func metrics() async throws -> [MetricValue] { state.withLock { $0.metrics } }
}
