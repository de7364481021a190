import GooseFSCore
import GooseFSRPC
import GooseFSUFS

/// Metadata sync: directories are listed from their under store lazily, on first access, and
/// again when the sync interval says their listing is stale.
extension FileSystemMaster {
  /// Loads what is needed to resolve `path`: the children of every directory on the way, and the
  /// children of `path` itself when `includeTarget` (listings). Returns the number of directories listed.
  @discardableResult
  func syncPath(_ path: String, intervalMs: Int64, includeTarget: Bool) async throws -> Int {
    var listed = 0
    var prefix = NamespacePath.root
    var remaining = NamespacePath.components(path)[...]
    while true {
      let isTarget = remaining.isEmpty
      if !isTarget || includeTarget {
        if try await syncDirectory(prefix, intervalMs: intervalMs) { listed += 1 }
      }
      guard let next = remaining.popFirst() else { break }
      prefix = NamespacePath.join(prefix, next)
      let exists = namespace.read { $0.inode(at: prefix) != nil }
      if !exists { break }
    }
    return listed
  }

  /// Syncs `path` and, when it is a directory, its whole subtree. Directories of one level are
  /// listed concurrently, at most `goosefs.master.metadata.sync.concurrency.level` at a time:
  /// object stores answer each listing slowly but serve many in parallel.
  /// Returns the number of inodes visited.
  func syncTree(_ path: String, intervalMs: Int64) async throws -> Int64 {
    try await syncPath(path, intervalMs: intervalMs, includeTarget: true)
    var visited: Int64 = 1
    var level = [path]
    while !level.isEmpty {
      try await forEachConcurrently(level, limit: settings.syncConcurrency) { directory in
        try await self.syncDirectory(directory, intervalMs: intervalMs)
      }
      let (children, count) = namespace.read { state -> ([String], Int) in
        var directories: [String] = []
        var count = 0
        for directory in level {
          guard let inode = state.inode(at: directory), inode.kind == .directory else { continue }
          for child in state.childRecords(of: inode.id) {
            count += 1
            if child.kind == .directory { directories.append(NamespacePath.join(directory, child.name)) }
          }
        }
        return (directories, count)
      }
      visited += Int64(count)
      level = children
    }
    return visited
  }

  /// Runs `body` for every item with at most `limit` running at once; the first error wins.
  private func forEachConcurrently(
    _ items: [String], limit: Int, _ body: @escaping @Sendable (String) async throws -> Void
  ) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      var iterator = items.makeIterator()
      for _ in 0..<max(1, limit) {
        guard let item = iterator.next() else { break }
        group.addTask { try await body(item) }
      }
      while try await group.next() != nil {
        if let item = iterator.next() { group.addTask { try await body(item) } }
      }
    }
  }

  /// Lists one directory from its under store if the interval asks for it and reconciles its
  /// children. Returns true when it listed.
  @discardableResult
  func syncDirectory(_ path: String, intervalMs: Int64) async throws -> Bool {
    let target = namespace.read { state -> (InodeRecord, ResolvedPath)? in
      guard let inode = state.inode(at: path), inode.kind == .directory, let resolved = state.resolve(path) else {
        return nil
      }
      return (inode, resolved)
    }
    guard let (directory, resolved) = target, isSyncDue(directory, intervalMs: intervalMs) else { return false }
    let ufs = try ufsManager.client(for: resolved.mount)
    let listing = try await ufs.list(resolved.ufsPath)
    let syncTime = now
    let released = try await namespace.mutate { state -> ([JournalEntry], [Int64]) in
      let entries = try reconcile(directoryPath: path, directoryID: directory.id, listing: listing, in: state)
      return (entries, state.blocksReleased(by: entries))
    }
    // Cached copies of files gone from the under store, or changed there, are stale.
    if !released.isEmpty { blockMaster.free(released) }
    lastSyncTimes.withLock { $0[directory.id] = syncTime }
    return true
  }

  func isSyncDue(_ directory: InodeRecord, intervalMs: Int64) -> Bool {
    if !directory.directChildrenLoaded || intervalMs == 0 { return true }
    if intervalMs < 0 { return false }
    let last = lastSyncTimes.withLock { $0[directory.id] } ?? 0
    return now - last >= intervalMs
  }

  /// The entries that make a directory's children match its under-store listing. Only persisted
  /// inodes follow the under store; files written to GooseFS but not yet persisted stay.
  private func reconcile(
    directoryPath: String, directoryID: Int64, listing: [UFSStatus]?, in state: borrowing NamespaceState
  ) throws -> [JournalEntry] {
    guard var directory = state.inodes[directoryID] else { return [] }
    var entries: [JournalEntry] = []
    guard let listing else {
      // The directory is gone from the under store. A persisted one (not a mount point) goes too.
      if directory.persistenceState == .persisted, state.mount(at: directoryPath) == nil {
        entries += deletionEntries(forSubtreeOf: directoryID, in: state)
      }
      return entries
    }
    var nextID = state.nextInodeID
    var nextContainer = state.nextBlockContainerID
    let seen = Set(listing.map(\.name))
    for status in listing where !status.name.isEmpty && status.name.utf8.count <= NamespacePath.maxNameLength {
      let childPath = NamespacePath.join(directoryPath, status.name)
      if let existing = state.child(of: directoryID, named: status.name) {
        guard existing.persistenceState == .persisted, state.mount(at: childPath) == nil else { continue }
        let kindChanged = (existing.kind == .directory) != status.isDirectory
        if kindChanged {
          entries += deletionEntries(forSubtreeOf: existing.id, in: state)
        } else if !status.isDirectory,
          !ContentFingerprint.matches(recordedFingerprint: existing.ufsFingerprint, recordedLength: existing.length, status: status)
        {
          // The content changed under us: new block ids so no stale cached block is ever served.
          var updated = existing
          updated.length = status.length
          updated.lastModificationTimeMs = status.lastModified
          updated.ufsFingerprint = status.fingerprint
          updated.blockContainerID = nextContainer
          updated.blockIds = BlockIDs.forFile(containerID: nextContainer, length: status.length, blockSize: updated.blockSizeBytes)
          nextContainer += 1
          entries.append(.with { $0.upsertInode = updated })
          continue
        } else {
          continue
        }
      }
      var record = InodeRecord()
      record.id = nextID
      nextID += 1
      record.parentID = directoryID
      record.name = status.name
      record.kind = status.isDirectory ? .directory : .file
      record.mode = UInt32(status.mode)
      record.owner = status.owner
      record.group = status.group
      record.creationTimeMs = status.lastModified
      record.lastModificationTimeMs = status.lastModified
      record.persistenceState = .persisted
      record.completed = true
      record.cacheable = true
      record.ttlMs = -1
      record.replicationMax = -1
      record.ufsFingerprint = status.fingerprint
      if !status.isDirectory {
        record.length = status.length
        record.blockSizeBytes = settings.defaultBlockSizeBytes
        record.blockContainerID = nextContainer
        record.blockIds = BlockIDs.forFile(containerID: nextContainer, length: status.length, blockSize: settings.defaultBlockSizeBytes)
        nextContainer += 1
      }
      entries.append(.with { $0.upsertInode = record })
    }
    for child in state.childRecords(of: directoryID) where child.persistenceState == .persisted && !seen.contains(child.name) {
      if state.mount(at: NamespacePath.join(directoryPath, child.name)) == nil {
        entries += deletionEntries(forSubtreeOf: child.id, in: state)
      }
    }
    if !directory.directChildrenLoaded {
      directory.directChildrenLoaded = true
      entries.append(.with { $0.upsertInode = directory })
    }
    return entries
  }

  /// Delete entries for a subtree, children before parents, as apply requires.
  func deletionEntries(forSubtreeOf id: Int64, in state: borrowing NamespaceState) -> [JournalEntry] {
    state.subtree(of: id).reversed().map { inode in .with { $0.deleteInode = .with { $0.id = inode.id } } }
  }
}
