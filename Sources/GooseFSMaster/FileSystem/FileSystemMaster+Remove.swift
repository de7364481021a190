import GooseFSCore
import GooseFSRPC

extension FileSystemMaster {
  /// Deletes a path from GooseFS and, unless `goosefsOnly`, from the under store when persisted.
  func remove(_ rawPath: String, recursive: Bool, goosefsOnly: Bool, caller: CallerIdentity) async throws {
    let path = try NamespacePath.normalize(rawPath)
    guard path != NamespacePath.root else {
      throw GooseFSError(.invalidArgument, "Cannot remove the root path \"/\".")
    }
    try await syncPath(path, intervalMs: settings.defaultSyncIntervalMs, includeTarget: false)
    let target = try namespace.read { state -> (InodeRecord, ResolvedPath?, Bool) in
      let inode = try existing(path, in: state)
      try validateRemoval(of: inode, path: path, recursive: recursive, caller: caller, in: state)
      let persistedInside = state.subtree(of: inode.id).contains { $0.persistenceState == .persisted }
      return (inode, state.resolve(path), persistedInside)
    }
    let (inode, resolved, persistedInside) = target
    if !goosefsOnly, persistedInside, let resolved {
      if resolved.mount.readOnly {
        throw GooseFSError(.permissionDenied, "Cannot delete \"\(path)\": mount point \(resolved.mount.goosefsPath) is read-only.")
      }
      let ufs = try ufsManager.client(for: resolved.mount)
      if inode.kind == .directory {
        _ = try await ufs.deleteDirectory(resolved.ufsPath, recursive: true)
      } else {
        _ = try await ufs.deleteFile(resolved.ufsPath)
      }
    }
    let time = now
    let removed = try await namespace.mutate { state -> ([JournalEntry], [InodeRecord]) in
      guard let current = state.inode(at: path), current.id == inode.id else { return ([], []) }
      var entries = deletionEntries(forSubtreeOf: current.id, in: state)
      if let touch = touchedParent(current.parentID, in: state, at: time) { entries.append(touch) }
      return (entries, state.subtree(of: current.id).filter { $0.kind == .file })
    }
    // Cached copies of deleted files are useless: workers drop them with their next heartbeat.
    // A file removed before it completed lists no blocks yet; its container names them. Blocks
    // reported after this point are orphans (FileSystemMaster+WorkerReports.swift).
    let openContainers = Set(removed.filter { !$0.completed }.map(\.blockContainerID))
    blockMaster.free(removed.flatMap(\.blockIds) + blockMaster.cachedBlocks(inContainers: openContainers))
    // A pending persist would write the removed file back into the under store.
    blockMaster.cancelPersists(of: removed.map(\.id))
  }

  private func validateRemoval(
    of inode: InodeRecord, path: String, recursive: Bool, caller: CallerIdentity, in state: borrowing NamespaceState
  ) throws {
    if inode.kind == .directory, !recursive, state.childCount(of: inode.id) > 0 {
      throw GooseFSError(.directoryNotEmpty, "Cannot delete non-empty directory \(path) without recursive option")
    }
    if state.mount(at: path) != nil {
      throw GooseFSError(.failedPrecondition, "Cannot delete mount point \(path): unmount it first.")
    }
    let nestedMount = state.mounts.values.first {
      $0.goosefsPath != path && NamespacePath.isSelfOrDescendant($0.goosefsPath, of: path)
    }
    if let nestedMount {
      throw GooseFSError(.failedPrecondition, "Cannot delete \(path): it contains mount point \(nestedMount.goosefsPath).")
    }
    if let parentPath = NamespacePath.parent(path) {
      try checkAccess(caller, .write, path: parentPath, in: state)
    }
    if recursive, !permissions.isSuperuser(caller) {
      for descendant in state.subtree(of: inode.id).dropFirst() where descendant.kind == .directory {
        try permissions.check(caller, .write, on: descendant, path: state.path(of: descendant.id))
      }
    }
  }
}
