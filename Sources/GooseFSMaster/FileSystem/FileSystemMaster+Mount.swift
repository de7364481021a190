import GooseFSCore
import GooseFSRPC
import GooseFSUFS

extension FileSystemMaster {
  /// Adds a mount point: `path` must not exist yet, its parent must, and the under store must be
  /// reachable and hold a directory at `ufsURI`.
  func mount(_ rawPath: String, ufsURI: String, readOnly: Bool, shared: Bool, properties: [String: String], caller: CallerIdentity) async throws {
    let path = try NamespacePath.normalize(rawPath)
    guard let parentPath = NamespacePath.parent(path) else {
      throw GooseFSError(.alreadyExists, "The root mount is set by goosefs.master.mount.table.root.ufs.")
    }
    try await syncPath(path, intervalMs: settings.defaultSyncIntervalMs, includeTarget: false)
    try namespace.read { state in
      try validateNewMount(path: path, parentPath: parentPath, ufsURI: ufsURI, caller: caller, in: state)
    }
    let ufs = try ufsManager.create(uri: ufsURI, options: properties)
    guard let root = try await ufs.status(ufsURI) else {
      throw GooseFSError(.notFound, "Ufs path \(ufsURI) does not exist.")
    }
    guard root.isDirectory else {
      throw GooseFSError(.invalidArgument, "Ufs path \(ufsURI) is not a directory.")
    }
    let time = now
    try await namespace.mutate { state in
      try validateNewMount(path: path, parentPath: parentPath, ufsURI: ufsURI, caller: caller, in: state)
      guard let parent = state.inode(at: parentPath) else { throw GooseFSError.pathDoesNotExist(parentPath) }
      var mount = MountRecord()
      mount.mountID = state.nextMountID
      mount.goosefsPath = path
      mount.ufsUri = ufsURI
      mount.readOnly = readOnly
      mount.shared = shared
      mount.properties = properties
      var directory = InodeRecord()
      directory.id = state.nextInodeID
      directory.parentID = parent.id
      directory.name = NamespacePath.name(path)
      directory.kind = .directory
      directory.mode = UInt32(root.mode)
      directory.owner = root.owner.isEmpty ? caller.user : root.owner
      directory.group = root.group.isEmpty ? caller.primaryGroup : root.group
      directory.creationTimeMs = time
      directory.lastModificationTimeMs = time
      directory.completed = true
      directory.cacheable = true
      directory.ttlMs = -1
      directory.replicationMax = -1
      directory.persistenceState = .persisted
      var entries: [JournalEntry] = [.with { $0.upsertMount = mount }, .with { $0.upsertInode = directory }]
      if let touch = touchedParent(parent.id, in: state, at: time) { entries.append(touch) }
      return (entries, ())
    }
  }

  private func validateNewMount(
    path: String, parentPath: String, ufsURI: String, caller: CallerIdentity, in state: borrowing NamespaceState
  ) throws {
    if state.inode(at: path) != nil { throw GooseFSError.pathAlreadyExists(path) }
    guard let parent = state.inode(at: parentPath) else { throw GooseFSError.pathDoesNotExist(parentPath) }
    guard parent.kind == .directory else { throw GooseFSError(.invalidArgument, "\(parentPath) is not a directory.") }
    try checkAccess(caller, .write, path: parentPath, in: state)
    let normalizedNew = Self.comparableUFS(ufsURI)
    for existing in state.mounts.values {
      let other = Self.comparableUFS(existing.ufsUri)
      if normalizedNew.hasPrefix(other + "/") || other.hasPrefix(normalizedNew + "/") || other == normalizedNew {
        throw GooseFSError(
          .invalidArgument,
          "Mount point \(ufsURI) overlaps the under-store path of mount \(existing.goosefsPath) (\(existing.ufsUri)).")
      }
    }
  }

  private static func comparableUFS(_ uri: String) -> String {
    var text = Substring(uri.hasPrefix("file://") ? String(uri.dropFirst("file://".count)) : uri)
    while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
    return String(text)
  }

  /// Removes a mount point and GooseFS's metadata below it; the under store is untouched.
  func unmount(_ rawPath: String, caller: CallerIdentity) async throws {
    let path = try NamespacePath.normalize(rawPath)
    let time = now
    let mountID = try await namespace.mutate { state -> ([JournalEntry], Int64) in
      guard path != NamespacePath.root else { throw GooseFSError(.invalidArgument, "Cannot unmount the root mount point.") }
      guard let mount = state.mount(at: path), let inode = state.inode(at: path) else {
        throw GooseFSError(.invalidArgument, "\(path) is not a mount point.")
      }
      if let nested = state.mounts.values.first(where: { $0.goosefsPath != path && NamespacePath.isSelfOrDescendant($0.goosefsPath, of: path) }) {
        throw GooseFSError(.failedPrecondition, "Cannot unmount \(path): mount point \(nested.goosefsPath) lies below it.")
      }
      try checkAccess(caller, .write, path: NamespacePath.parent(path) ?? NamespacePath.root, in: state)
      var entries = deletionEntries(forSubtreeOf: inode.id, in: state)
      entries.append(.with { $0.deleteMount = .with { $0.mountID = mount.mountID } })
      if let touch = touchedParent(inode.parentID, in: state, at: time) { entries.append(touch) }
      return (entries, mount.mountID)
    }
    ufsManager.forget(mountID: mountID)
  }

  /// The mount table with secret option values masked.
  func mountTable() async -> [MountPointInfo] {
    let mounts = namespace.read { $0.mounts.values.sorted { $0.goosefsPath < $1.goosefsPath } }
    var result: [MountPointInfo] = []
    for mount in mounts {
      var capacity: (total: Int64, used: Int64) = (-1, -1)
      var type = "unknown"
      if let ufs = try? ufsManager.client(for: mount) {
        type = ufs.typeName
        capacity = (try? await ufs.capacity()) ?? (-1, -1)
      }
      let masked = Dictionary(uniqueKeysWithValues: mount.properties.map { ($0.key, Configuration.mask(name: $0.key, value: $0.value)) })
      result.append(
        MountPointInfo(
          mountID: mount.mountID, goosefsPath: mount.goosefsPath, ufsURI: mount.ufsUri, ufsType: type,
          readOnly: mount.readOnly, shared: mount.shared, properties: masked,
          ufsCapacityBytes: capacity.total, ufsUsedBytes: capacity.used))
    }
    return result
  }
}
