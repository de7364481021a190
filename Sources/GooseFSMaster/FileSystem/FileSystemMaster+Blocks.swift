import GooseFSCore
import GooseFSRPC

extension FileSystemMaster {
  /// Adds what the block master knows to a FileInfo: cached percentages always, and each block
  /// with its locations when `withBlockInfos` (getStatus, and listings of small files: `listed`).
  func withBlocks(_ info: FileInfo, withBlockInfos: Bool) -> FileInfo {
    guard info.kind == .file, info.length > 0, !info.blockIDs.isEmpty else { return info }
    var info = info
    let locations = blockMaster.locations(of: info.blockIDs)
    var cached: Int64 = 0
    var inMemory: Int64 = 0
    var blocks: [FileBlockInfo] = []
    for (index, blockID) in info.blockIDs.enumerated() {
      let offset = Int64(index) * info.blockSizeBytes
      let length = min(info.blockSizeBytes, info.length - offset)
      let here = locations[blockID] ?? []
      if !here.isEmpty { cached += length }
      if here.contains(where: { $0.tierAlias == "MEM" }) { inMemory += length }
      if withBlockInfos {
        blocks.append(FileBlockInfo(blockID: blockID, offset: offset, length: length, locations: here))
      }
    }
    info.inGooseFSPercentage = Int32(cached * 100 / info.length)
    info.inMemoryPercentage = Int32(inMemory * 100 / info.length)
    info.fileBlockInfos = blocks
    return info
  }

  /// Files of at most this many blocks are listed with their blocks and locations: a client that
  /// opens a file from a listing (a FUSE mount's metadata cache) then reads it from the worker
  /// that holds it with no call to the master first. Bigger files are listed without them, so a
  /// listing's size stays proportional to its names; their readers ask getStatus once per open.
  static let maxBlocksListedWithLocations = 4

  /// A FileInfo as a listing carries it.
  func listed(_ info: FileInfo) -> FileInfo {
    withBlocks(info, withBlockInfos: info.blockIDs.count <= Self.maxBlocksListedWithLocations)
  }

  struct FreeOutcome: Sendable {
    var freedBlocks = 0
    var notPersisted: [String] = []
    var pinned: [String] = []
  }

  /// Drops cached copies under `path`. Never the only copy: files not persisted are refused and
  /// named; pinned files are refused unless `forced` (Alluxio's `free -f`).
  func free(_ rawPath: String, recursive: Bool, forced: Bool, caller: CallerIdentity) async throws -> FreeOutcome {
    let path = try NamespacePath.normalize(rawPath)
    let candidates = try namespace.read { state -> [(String, InodeRecord)] in
      let inode = try existing(path, in: state)
      try checkAccess(caller, .read, path: path, in: state)
      if inode.kind == .directory, !recursive, state.childCount(of: inode.id) > 0 {
        throw GooseFSError(
          .invalidArgument, "Cannot free directory \(path) without the recursive option (use -R or free a file).")
      }
      return state.subtree(of: inode.id).filter { $0.kind == .file }.map { (state.path(of: $0.id), $0) }
    }
    var outcome = FreeOutcome()
    var blocks: [Int64] = []
    let cachedBlocks = blockMaster.locations(of: candidates.flatMap { $0.1.blockIds })
    for (filePath, inode) in candidates {
      let isCached = inode.blockIds.contains { !(cachedBlocks[$0] ?? []).isEmpty }
      guard isCached else { continue }
      if inode.persistenceState != .persisted {
        outcome.notPersisted.append(filePath)
      } else if inode.pinned, !forced {
        outcome.pinned.append(filePath)
      } else {
        blocks.append(contentsOf: inode.blockIds)
      }
    }
    let freed = blockMaster.free(blocks)
    outcome.freedBlocks = freed.copies
    // Answer once the workers deleted the blocks and reported their usage, so that a report
    // right after `free` shows the space back (bounded: a lost worker does not hang the call).
    await blockMaster.waitForHeartbeats(of: freed.workers, count: 2, timeout: .seconds(30))
    return outcome
  }

  /// Queues a completed file for a worker to write to the under store.
  func schedulePersist(_ rawPath: String, caller: CallerIdentity) async throws {
    let path = try NamespacePath.normalize(rawPath)
    let (inode, resolved) = try namespace.read { state -> (InodeRecord, ResolvedPath) in
      let inode = try existing(path, in: state)
      try checkAccess(caller, .write, path: path, in: state)
      guard inode.kind == .file else { throw GooseFSError(.invalidArgument, "\(path) is not a file: only files are persisted.") }
      guard inode.completed else { throw GooseFSError(.failedPrecondition, "File \(path) is not complete yet.") }
      guard let resolved = state.resolve(path) else { throw GooseFSError.pathDoesNotExist(path) }
      if resolved.mount.readOnly {
        throw GooseFSError(.permissionDenied, "Cannot persist \(path): mount point \(resolved.mount.goosefsPath) is read-only.")
      }
      return (inode, resolved)
    }
    if inode.persistenceState == .persisted { return }
    let info = withBlocks(try currentInfo(path), withBlockInfos: true)
    if info.length > 0, info.fileBlockInfos.contains(where: { $0.locations.isEmpty }) {
      throw GooseFSError(
        .unavailable, "Cannot persist \(path): some of its blocks are not cached on any live worker (the file is lost).")
    }
    if inode.persistenceState != .toBePersisted {
      try await namespace.mutate { state in
        guard var current = state.inodes[inode.id], current.persistenceState != .persisted else { return ([], ()) }
        current.persistenceState = .toBePersisted
        return ([.with { $0.upsertInode = current }], ())
      }
    }
    blockMaster.schedulePersist(
      PersistJob(
        fileID: inode.id, path: path, mountID: resolved.mount.mountID, ufsPath: resolved.ufsPath,
        length: info.length, blocks: info.fileBlockInfos))
  }

  /// A worker wrote the file to the under store: it is PERSISTED (with its ancestors).
  func commitPersist(fileID: Int64, fingerprint: String, failure: String?) async throws {
    if let failure {
      blockMaster.persistFailed(fileID: fileID)
      logger.warning("Persisting file \(fileID) failed on a worker, will retry: \(failure)")
      return
    }
    if let job = blockMaster.finishPersist(fileID: fileID), job.cancelled {
      try await deleteCancelledPersist(job, fingerprint: fingerprint)
      return
    }
    try await namespace.mutate { state in (Self.persistedEntries(fileID, fingerprint: fingerprint, in: state), ()) }
  }

  /// `commitPersist` without suspending, or nil when the file was removed meanwhile (its copy in
  /// the under store is to be deleted: `commitPersist` does that).
  func commitPersistNow(fileID: Int64, fingerprint: String, failure: String?) throws -> JournaledNamespace.Pending? {
    if let failure {
      blockMaster.persistFailed(fileID: fileID)
      logger.warning("Persisting file \(fileID) failed on a worker, will retry: \(failure)")
      return namespace.pending(until: nil)
    }
    guard blockMaster.finishPersistUnlessCancelled(fileID: fileID) else { return nil }
    return try namespace.mutateNow { state in (Self.persistedEntries(fileID, fingerprint: fingerprint, in: state), ()) }.pending
  }

  /// The file is PERSISTED, and so are its ancestors.
  private static func persistedEntries(_ fileID: Int64, fingerprint: String, in state: borrowing NamespaceState)
    -> [JournalEntry]
  {
    guard var file = state.inodes[fileID] else { return [] }
    var entries: [JournalEntry] = []
    file.persistenceState = .persisted
    file.ufsFingerprint = fingerprint
    entries.append(.with { $0.upsertInode = file })
    var parentID = file.parentID
    while var parent = state.inodes[parentID], parent.persistenceState != .persisted, parent.id != parent.parentID {
      parent.persistenceState = .persisted
      entries.append(.with { $0.upsertInode = parent })
      parentID = parent.parentID
    }
    return entries
  }

  /// The file was removed while a worker wrote it to the under store: the copy goes too, unless
  /// something else has taken its place there since (its fingerprint differs).
  private func deleteCancelledPersist(_ job: PersistJob, fingerprint: String) async throws {
    let mount = namespace.read { $0.mounts[job.mountID] }
    guard let mount, !mount.readOnly else { return }
    let ufs = try ufsManager.client(for: mount)
    guard let status = try await ufs.status(job.ufsPath), status.fingerprint == fingerprint else { return }
    _ = try await ufs.deleteFile(job.ufsPath)
    logger.info("Deleted \(job.ufsPath) from the under store: \(job.path) was removed while it was being persisted.")
  }

  /// Where a mount's data lives and every option needed to reach it (for workers only).
  func ufsInfo(mountID: Int64) throws -> (uri: String, options: [String: String], readOnly: Bool) {
    let mount = try namespace.read { state -> MountRecord in
      guard let mount = state.mounts[mountID] else {
        throw GooseFSError(.notFound, "Mount \(mountID) does not exist (it may have been unmounted).")
      }
      return mount
    }
    return (mount.ufsUri, ufsManager.options(for: mount), mount.readOnly)
  }
}

extension FileSystemMaster {
  /// Block containers of pinned files: workers never evict their blocks.
  func pinnedBlockContainers() -> [Int64] {
    namespace.read { state in
      state.inodes.values.filter { $0.pinned && $0.kind == .file }.map(\.blockContainerID)
    }
  }
}
