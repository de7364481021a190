import GooseFSCore
import Logging

/// Making room: reservations, eviction, moves between tiers, the watermark check.
extension TieredBlockStore {
  enum ReservationTarget {
    /// A new block: any directory of the tier.
    case tier(Int)
    /// A writer growing: the directory its file is in.
    case directory(Int)
  }

  /// Reserves `bytes` for `blockID`, evicting if needed; returns the directory. Throws
  /// `resourceExhausted` without evicting anything when eviction could not make enough room.
  func reserve(_ bytes: Int64, for blockID: Int64, in target: ReservationTarget) throws -> Int {
    // The common case takes only the short lock.
    if let index = state.withLock({ Self.tryReserve(&$0, bytes, target) }) { return index }
    enum Next {
      case reserved(Int)
      case evict([EvictionStep])
    }
    return try spaceLock.withLock { _ in
      for _ in 0..<Self.maxEvictionRounds {
        let next = try state.withLock { state -> Next in
          if let index = Self.tryReserve(&state, bytes, target) { return .reserved(index) }
          let plan =
            switch target {
            case .tier(let tier): state.planRoom(inTier: tier, bytes: bytes, freeAhead: layout.freeAheadBytes)
            case .directory(let index): state.planRoom(inDirectory: index, bytes: bytes, freeAhead: layout.freeAheadBytes)
            }
          switch plan {
          case .steps(_, let steps): return .evict(steps)
          case .impossible(let report): throw exhausted(bytes, blockID, report, state)
          }
        }
        switch next {
        case .reserved(let index): return index
        case .evict(let steps): execute(steps)
        }
      }
      throw GooseFSError(
        .resourceExhausted,
        "Cannot reserve \(ByteSize.format(bytes)) for block \(blockID): \(Self.maxEvictionRounds) rounds of eviction did not make room (the candidates kept being read)")
    }
  }

  /// Each round evicts enough for the reservation unless a victim gets leased during its move;
  /// the bound only stops a pathological reader from keeping a writer here forever.
  static let maxEvictionRounds = 64

  private static func tryReserve(_ state: inout StoreState, _ bytes: Int64, _ target: ReservationTarget) -> Int? {
    switch target {
    case .tier(let tier): state.reserveInTier(tier, bytes)
    case .directory(let index): state.reserveInDirectory(index, bytes) ? index : nil
    }
  }

  private func exhausted(
    _ bytes: Int64, _ blockID: Int64, _ report: [(directory: Int, evictableBytes: Int64)], _ state: StoreState
  ) -> GooseFSError {
    let tierAlias = locations[report.first?.directory ?? 0].tierAlias
    let details = report.map { entry in
      let directory = state.directories[entry.directory]
      return "directory \(directory.location.path) has \(ByteSize.format(max(0, directory.freeBytes))) free of "
        + "\(ByteSize.format(directory.quotaBytes)) and \(ByteSize.format(entry.evictableBytes)) evictable"
    }
    return GooseFSError(
      .resourceExhausted,
      "Cannot reserve \(ByteSize.format(bytes)) for block \(blockID) in tier \(tierAlias): "
        + details.joined(separator: "; ")
        + " (blocks being read, pinned, not yet persisted, written or moved are never evicted)")
  }

  // MARK: - Carrying out evictions (under spaceLock)

  func execute(_ steps: [EvictionStep]) {
    for step in steps {
      switch step {
      case .delete(let blockID, let length, let from):
        deleteFiles(blockID, length: length, directory: from, reason: "evicted")
      case .demote(let blockID, let length, let from, let to):
        _ = move(blockID, length: length, from: from, to: to, evicting: true)
      }
    }
  }

  private enum MoveOutcome {
    case moved
    /// A lease or a removal arrived during the copy: the block stays where it was.
    case abandoned(deleteSource: BlockRecord?)
  }

  /// Copies a block (marked `moving`, destination reserved) to another directory and switches it
  /// over, unless it was leased or removed meanwhile. Returns whether it moved. Under spaceLock.
  @discardableResult
  func move(_ blockID: Int64, length: Int64, from: Int, to: Int, evicting: Bool) -> Bool {
    let source = locations[from]
    let destination = locations[to]
    let persisted = state.withLock { $0.blocks[blockID]?.persisted ?? true }
    do {
      let temporary = destination.temporaryPath(blockID, "move")
      do {
        try BlockFiles.copy(from: source.blockPath(blockID), to: temporary, length: length, sync: options.syncOnCommit)
        try BlockFiles.rename(temporary, to: destination.blockPath(blockID))
      } catch {
        do {
          try BlockFiles.remove(temporary)
        } catch {
          logger.warning("Could not delete the partial copy \(temporary) of block \(blockID): \(error); start-up removes it")
        }
        throw error
      }
      try writeMetadata(blockID, length: length, persisted: persisted, in: destination)
    } catch {
      moveFailed(blockID, length: length, from: from, to: to, evicting: evicting, error: error)
      return false
    }

    let outcome = state.withLock { state -> MoveOutcome in
      guard var record = state.blocks[blockID] else { preconditionFailure("block \(blockID) vanished while moving") }
      record.moving = false
      if record.leases > 0 || record.removeRequested {
        state.blocks[blockID] = record
        if record.leases == 0 { return .abandoned(deleteSource: state.detach(blockID)) }
        state.pushLRU(blockID, record)
        return .abandoned(deleteSource: nil)
      }
      // The reservation becomes the block's committed bytes in one step: no window over quota.
      state.release(length, reservedIn: to)
      state.directories[to].committedBytes += length
      state.directories[from].blockCount -= 1
      state.directories[to].blockCount += 1
      record.directory = to
      state.blocks[blockID] = record
      state.pushLRU(blockID, record)
      state.changes[blockID] = .added
      return .moved
    }

    switch outcome {
    case .moved:
      // The source's bytes stay counted until its files are gone.
      removeFiles(blockID, in: source)
      state.withLock { $0.release(length, committedIn: from) }
      logger.debug("Moved block \(blockID) from \(source.name) to \(destination.name)")
      return true
    case .abandoned(let deleteSource):
      removeFiles(blockID, in: destination)
      state.withLock { $0.release(length, reservedIn: to) }
      if let deleteSource { deleteFiles(blockID, length: deleteSource.length, directory: from, reason: "removed") }
      return false
    }
  }

  /// A copy that failed (disk error, lower tier full on disk): the block stays, or, when it was
  /// an eviction victim nobody reads, it is deleted so that eviction still makes progress.
  private func moveFailed(_ blockID: Int64, length: Int64, from: Int, to: Int, evicting: Bool, error: any Error) {
    removeFiles(blockID, in: locations[to])
    let deletion = state.withLock { state -> BlockRecord? in
      state.release(length, reservedIn: to)
      guard var record = state.blocks[blockID] else { return nil }
      record.moving = false
      state.blocks[blockID] = record
      if (evicting && record.leases == 0) || (record.removeRequested && record.leases == 0) {
        if !record.removeRequested { state.changes[blockID] = .removed }
        return state.detach(blockID)
      }
      state.pushLRU(blockID, record)
      return nil
    }
    logger.warning(
      "Cannot move block \(blockID) from \(locations[from].name) to \(locations[to].name): \(error)\(deletion != nil ? "; deleting it instead" : "")"
    )
    if let deletion { deleteFiles(blockID, length: deletion.length, directory: from, reason: "evicted") }
  }

  private func removeFiles(_ blockID: Int64, in location: DirectoryLocation) {
    do {
      try BlockFiles.remove(location.metadataPath(blockID))
      try BlockFiles.remove(location.blockPath(blockID))
    } catch {
      logger.error("Cannot delete a copy of block \(blockID) in \(location.name): \(error)")
    }
  }

  // MARK: - Promotion and the watermark check

  /// CACHE_PROMOTE: moves a block to the top tier, evicting there (by the usual rules) to make room.
  /// Returns false when the block is being read or moved right now (it stays where it is); throws
  /// `notFound` for a block not stored here and `resourceExhausted` when the top tier cannot make room.
  @discardableResult
  @available(*, noasync, message: "moves a file: use the async form")
  public func promote(_ blockID: Int64) throws -> Bool {
    enum Next {
      case done(Bool)
      case evict([EvictionStep])
      case move(from: Int, to: Int, length: Int64)
    }
    return try spaceLock.withLock { _ in
      for _ in 0..<Self.maxEvictionRounds {
        let next = try state.withLock { state -> Next in
          guard var record = state.visibleRecord(blockID) else { throw Self.notStored(blockID) }
          if state.directories[record.directory].tier == 0 { return .done(true) }
          if record.leases > 0 || record.moving { return .done(false) }
          if let to = state.reserveInTier(0, record.length) {
            record.moving = true
            state.blocks[blockID] = record
            return .move(from: record.directory, to: to, length: record.length)
          }
          switch state.planRoom(inTier: 0, bytes: record.length, freeAhead: 0) {
          case .steps(_, let steps): return .evict(steps)
          case .impossible(let report): throw exhausted(record.length, blockID, report, state)
          }
        }
        switch next {
        case .done(let result): return result
        case .evict(let steps): execute(steps)
        case .move(let from, let to, let length): return move(blockID, length: length, from: from, to: to, evicting: false)
        }
      }
      return false
    }
  }

  /// Brings every tier above its high watermark down to its low watermark, top tier first (so
  /// demotions into a lower tier are then evicted from it if they push it over).
  @available(*, noasync, message: "evicts (deletes and moves files): use the async form")
  public func freeSpaceToLowWatermark() {
    spaceLock.withLock { _ in
      for (tier, settings) in layout.tiers.enumerated() {
        let steps = state.withLock {
          $0.planWatermark(tier: tier, high: settings.highWatermarkRatio, low: settings.lowWatermarkRatio)
        }
        execute(steps)
      }
    }
  }

  func isAboveHighWatermark() -> Bool {
    state.withLock { state in
      layout.tiers.enumerated().contains { tier, settings in
        let (capacity, used) = state.tierUsage(tier)
        return Double(used) > settings.highWatermarkRatio * Double(capacity)
      }
    }
  }
}
