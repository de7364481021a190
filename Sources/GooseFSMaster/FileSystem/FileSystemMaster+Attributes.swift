import GooseFSCore
import GooseFSRPC
import GooseFSUFS

struct SetAttributeRequest: Sendable {
  var path: String
  var recursive: Bool
  var mode: UInt32?
  var owner: String?
  var group: String?
  var pinned: Bool?
  var ttlMs: Int64?
  var ttlAction: TTLAction?
  var replicationMin: Int32?
  var replicationMax: Int32?
  /// utimens through a FUSE mount: the namespace's time only (object stores cannot keep one).
  var lastModificationTimeMs: Int64?
}

extension FileSystemMaster {
  /// Returns the path's status after the change (nil for a recursive change).
  @discardableResult
  func setAttribute(_ request: SetAttributeRequest, caller: CallerIdentity) async throws -> FileInfo? {
    let path = try NamespacePath.normalize(request.path)
    try await syncPath(path, intervalMs: settings.defaultSyncIntervalMs, includeTarget: request.recursive)
    if request.recursive {
      _ = try await syncTree(path, intervalMs: settings.defaultSyncIntervalMs)
    }
    let targets = try namespace.read { state -> [(InodeRecord, String)] in
      let inode = try existing(path, in: state)
      try permissions.checkTraversal(caller, chain: state.existingPrefix(of: path), path: path)
      let inodes = request.recursive ? state.subtree(of: inode.id) : [inode]
      let targets = inodes.map { ($0, state.path(of: $0.id)) }
      for (target, targetPath) in targets {
        try authorize(request, on: target, path: targetPath, caller: caller)
      }
      return targets
    }
    try await propagateToUnderStore(request, targets: targets)
    return try await namespace.mutate { state -> ([JournalEntry], FileInfo?) in
      var changed: FileInfo?
      let entries: [JournalEntry] = targets.compactMap { target, targetPath in
        guard var inode = state.inodes[target.id] else { return nil }
        if let mode = request.mode { inode.mode = mode & 0o7777 }
        if let owner = request.owner { inode.owner = owner }
        if let group = request.group { inode.group = group }
        if let pinned = request.pinned { inode.pinned = pinned }
        if let ttl = request.ttlMs { inode.ttlMs = ttl }
        if let action = request.ttlAction { inode.ttlAction = action.proto }
        if let minimum = request.replicationMin { inode.replicationMin = minimum }
        if let maximum = request.replicationMax { inode.replicationMax = maximum }
        if let time = request.lastModificationTimeMs { inode.lastModificationTimeMs = time }
        if !request.recursive { changed = state.fileInfo(inode, path: targetPath) }
        return .with { $0.upsertInode = inode }
      }
      return (entries, changed)
    }
  }

  private func authorize(_ request: SetAttributeRequest, on inode: InodeRecord, path: String, caller: CallerIdentity) throws {
    if request.owner != nil, !permissions.isSuperuser(caller) {
      throw GooseFSError(.permissionDenied, "Permission denied: only a superuser may change the owner of \(path) (user=\(caller.user)).")
    }
    if let group = request.group, !permissions.isSuperuser(caller) {
      guard caller.user == inode.owner, caller.groups.contains(group) else {
        throw GooseFSError(
          .permissionDenied,
          "Permission denied: user=\(caller.user) may not change the group of \(path) to \(group): only its owner, as a member of that group, may.")
      }
    }
    if request.mode != nil {
      try permissions.checkOwner(caller, of: inode, path: path)
    }
    let changesCaching = request.pinned != nil || request.ttlMs != nil || request.ttlAction != nil
      || request.replicationMin != nil || request.replicationMax != nil
    if changesCaching {
      try permissions.check(caller, .write, on: inode, path: path)
    }
    // As utimensat: the owner may set any time; others need write permission (the kernel already
    // refuses them explicit times, which only owners may set).
    if request.lastModificationTimeMs != nil, !permissions.isSuperuser(caller), caller.user != inode.owner {
      try permissions.check(caller, .write, on: inode, path: path)
    }
  }

  /// Mode changes of persisted paths reach the under store, as in GooseFS. Owner and group are
  /// tried too, but a name that does not exist on the under store's host only logs a warning: pods
  /// and storage hosts rarely share user databases, and the namespace is the source of truth.
  private func propagateToUnderStore(_ request: SetAttributeRequest, targets: [(InodeRecord, String)]) async throws {
    guard request.mode != nil || request.owner != nil || request.group != nil else { return }
    for (inode, path) in targets where inode.persistenceState == .persisted {
      guard let resolved = namespace.read({ $0.resolve(path) }), !resolved.mount.readOnly else { continue }
      let ufs = try ufsManager.client(for: resolved.mount)
      if let mode = request.mode {
        try await ufs.setMode(resolved.ufsPath, UInt16(mode & 0o7777))
      }
      if request.owner != nil || request.group != nil {
        do {
          try await ufs.setOwner(resolved.ufsPath, owner: request.owner, group: request.group)
        } catch {
          logger.warning("Could not change the owner of \(resolved.ufsPath) in the under store: \(error)")
        }
      }
    }
  }
}
