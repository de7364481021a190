import Glibc
import GooseFSCore
import Logging

/// Writing a block: reserve, write a temporary file, rename it into place with its metadata.
extension TieredBlockStore {
  /// Starts writing a block in `tierAlias` (the top tier when nil), reserving `expectedLength`
  /// bytes up front when known (evicting as needed). `persisted: false` means this will be the
  /// only copy of the data: the block is never evicted until `markPersisted`.
  @available(*, noasync, message: "creates a file and may evict: use the async form")
  public func createBlock(_ blockID: Int64, tierAlias: String? = nil, expectedLength: Int64? = nil, persisted: Bool) throws -> BlockWriter {
    let tier = try tierAlias.map(tierIndex) ?? 0
    try state.withLock { state in
      if let record = state.blocks[blockID] {
        if record.removeRequested {
          throw GooseFSError(.unavailable, "Block \(blockID) is being removed (it is still being read); retry later")
        }
        throw GooseFSError(.alreadyExists, "Block \(blockID) is already stored in tier \(locations[record.directory].tierAlias)")
      }
      if state.writing.contains(blockID) { throw GooseFSError(.alreadyExists, "Block \(blockID) is already being written") }
      if state.deleting.contains(blockID) { throw GooseFSError(.unavailable, "Block \(blockID) is being evicted; retry later") }
      state.writing.insert(blockID)
    }
    let initial = max(0, expectedLength ?? 0)
    var reservedIn: Int?
    do {
      let directory = try reserve(initial, for: blockID, in: .tier(tier))
      reservedIn = directory
      let location = locations[directory]
      let path = location.temporaryPath(blockID, "write")
      let (fd, direct) = try openTemporary(path, location)
      return BlockWriter(
        store: self, blockID: blockID, directory: directory, temporaryPath: path, fd: fd, direct: direct,
        reserved: initial, persisted: persisted)
    } catch {
      state.withLock { state in
        if let reservedIn { state.release(initial, reservedIn: reservedIn) }
        state.writing.remove(blockID)
        state.persistedWhileWriting.remove(blockID)
      }
      throw error
    }
  }

  /// O_DIRECT when configured and the medium is not memory; a file system that refuses it
  /// (EINVAL: tmpfs configured as SSD, some FUSE or overlay mounts) gets buffered I/O.
  private func openTemporary(_ path: String, _ location: DirectoryLocation) throws -> (Int32, Bool) {
    let flags = O_WRONLY | O_CREAT | O_EXCL
    if options.directWrites && location.mediumType != "MEM" {
      do {
        return (try BlockFiles.open(path, flags | DirectIO.openFlag), true)
      } catch {
        logger.debug("O_DIRECT refused in \(location.name) (\(error)); writing block files buffered")
      }
    }
    return (try BlockFiles.open(path, flags), false)
  }

  /// Makes a finished writer's file a committed block. Called by `BlockWriter.commit` with its
  /// descriptor (closed here) and reservation (released here), whatever happens.
  func commitBlock(
    _ blockID: Int64, directory: Int, temporaryPath: String, fd: Int32, length: Int64, reserved: Int64, persisted: Bool
  ) throws -> StoredBlockInfo {
    let location = locations[directory]
    let persistedNow = persisted || state.withLock { $0.persistedWhileWriting.contains(blockID) }
    var renamed = false
    do {
      defer { close(fd) }
      if options.syncOnCommit {
        options.beforeSync?(blockID)
        try BlockFiles.sync(fd, path: temporaryPath)
      }
      try BlockFiles.rename(temporaryPath, to: location.blockPath(blockID))
      renamed = true
      try writeMetadata(blockID, length: length, persisted: persistedNow, in: location)
    } catch {
      let leftover = renamed ? location.blockPath(blockID) : temporaryPath
      do {
        try BlockFiles.remove(leftover)
      } catch {
        // Start-up discards block files without metadata and temporary files, so the space comes
        // back at the next start; until then it is on disk but not counted.
        logger.error("Could not delete \(leftover) after a failed commit: \(error)")
      }
      finishWriting(blockID, releasing: reserved, in: directory)
      throw Self.annotate(error, "Cannot commit block \(blockID) in \(location.name)")
    }
    let stored = state.withLock { state in
      let persistedFinal = persistedNow || state.persistedWhileWriting.remove(blockID) != nil
      // Reservation out, committed bytes in, in one step (length ≤ reserved always).
      state.release(reserved, reservedIn: directory)
      state.directories[directory].committedBytes += length
      state.writing.remove(blockID)
      let record = BlockRecord(length: length, directory: directory, persisted: persistedFinal, lastAccess: state.nextTick())
      state.insert(blockID, record)
      state.changes[blockID] = .added
      return self.info(blockID, record)
    }
    if stored.persisted != persistedNow {
      // markPersisted arrived between the metadata write and the table update.
      markPersistedOnDisk(blockID, length: length, directory: directory)
    }
    if isAboveHighWatermark() { freeSpaceToLowWatermark() }
    return stored
  }

  private func markPersistedOnDisk(_ blockID: Int64, length: Int64, directory: Int) {
    spaceLock.withLock { _ in
      // Only if the block has not moved or gone meanwhile (moves also hold spaceLock).
      guard state.withLock({ $0.visibleRecord(blockID)?.directory }) == directory else { return }
      do {
        try writeMetadata(blockID, length: length, persisted: true, in: locations[directory])
      } catch {
        logger.error("Block \(blockID) is persisted but its metadata could not be updated: \(error)")
      }
    }
  }

  /// An aborted or failed writer: its reservation and id are free again.
  func finishWriting(_ blockID: Int64, releasing reserved: Int64, in directory: Int) {
    state.withLock { state in
      state.release(reserved, reservedIn: directory)
      state.writing.remove(blockID)
      state.persistedWhileWriting.remove(blockID)
    }
  }
}
