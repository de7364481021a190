import GooseFSCore
import GooseFSRPC

extension FileSystemMaster {
  /// Renames within one mount; persisted paths are renamed in the under store first.
  func rename(_ rawSource: String, to rawDestination: String, caller: CallerIdentity) async throws {
    let source = try NamespacePath.normalize(rawSource)
    let destination = try NamespacePath.normalize(rawDestination)
    let interval = settings.defaultSyncIntervalMs
    try await syncPath(source, intervalMs: interval, includeTarget: false)
    try await syncPath(destination, intervalMs: interval, includeTarget: false)
    guard let destinationParent = NamespacePath.parent(destination) else {
      throw GooseFSError(.invalidArgument, "Cannot rename onto the root path.")
    }
    let plan = try namespace.read { state -> (InodeRecord, ResolvedPath?, ResolvedPath?) in
      let inode = try existing(source, in: state)
      guard source != NamespacePath.root else { throw GooseFSError(.invalidArgument, "Cannot rename the root path.") }
      if state.inode(at: destination) != nil { throw GooseFSError.pathAlreadyExists(destination) }
      guard let parent = state.inode(at: destinationParent) else { throw GooseFSError.pathDoesNotExist(destinationParent) }
      guard parent.kind == .directory else {
        throw GooseFSError(.invalidArgument, "Cannot rename to \(destination): \(destinationParent) is a file.")
      }
      if NamespacePath.isSelfOrDescendant(destination, of: source) {
        throw GooseFSError(.invalidArgument, "Cannot rename \(source) to its own descendant \(destination).")
      }
      if state.mounts.values.contains(where: { NamespacePath.isSelfOrDescendant($0.goosefsPath, of: source) }) {
        throw GooseFSError(.failedPrecondition, "Cannot rename \(source): it is or contains a mount point.")
      }
      let from = state.resolve(source)
      let to = state.resolve(destination)
      if from?.mount.mountID != to?.mount.mountID {
        throw GooseFSError(.invalidArgument, "Renaming \(source) to \(destination) crosses mount points; that is not supported.")
      }
      try checkAccess(caller, .write, path: NamespacePath.parent(source) ?? NamespacePath.root, in: state)
      try checkAccess(caller, .write, path: destinationParent, in: state)
      let persistedInside = state.subtree(of: inode.id).contains { $0.persistenceState == .persisted }
      return (inode, persistedInside ? from : nil, to)
    }
    let (inode, ufsSource, ufsDestination) = plan
    if let ufsSource, let ufsDestination {
      if ufsSource.mount.readOnly {
        throw GooseFSError(.permissionDenied, "Cannot rename \(source): mount point \(ufsSource.mount.goosefsPath) is read-only.")
      }
      try await createInUnderStore(destinationParent, directoryMode: 0o777 & ~settings.umask, recursive: true, caller: caller)
      let ufs = try ufsManager.client(for: ufsSource.mount)
      guard try await ufs.rename(ufsSource.ufsPath, to: ufsDestination.ufsPath) else {
        throw GooseFSError(.ioError, "The under store could not rename \(ufsSource.ufsPath) to \(ufsDestination.ufsPath).")
      }
    }
    let time = now
    try await namespace.mutate { state in
      guard let current = state.inode(at: source), current.id == inode.id,
        let parent = state.inode(at: destinationParent), state.inode(at: destination) == nil
      else {
        throw GooseFSError(.failedPrecondition, "\(source) or \(destination) changed during the rename; try again.")
      }
      var entries: [JournalEntry] = [
        .with {
          $0.renameInode = .with {
            $0.id = current.id
            $0.newParentID = parent.id
            $0.newName = NamespacePath.name(destination)
            $0.modificationTimeMs = time
          }
        }
      ]
      if let touch = touchedParent(current.parentID, in: state, at: time) { entries.append(touch) }
      if parent.id != current.parentID, let touch = touchedParent(parent.id, in: state, at: time) { entries.append(touch) }
      return (entries, ())
    }
  }
}
