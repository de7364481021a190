import GooseFSCore

/// Choosing victims. Decisions are made under the store's lock and only change the table and the
/// accounting; the file work they imply is returned as `EvictionStep`s.
extension StoreState {
  enum RoomPlan {
    /// Carry out `steps`, then try to reserve in `directory` again.
    case steps(directory: Int, [EvictionStep])
    /// Even evicting everything evictable would not be enough; bytes evictable per directory.
    case impossible([(directory: Int, evictableBytes: Int64)])
  }

  /// Room for `bytes` more in one directory (a writer grows in the directory it writes to).
  mutating func planRoom(inDirectory index: Int, bytes: Int64, freeAhead: Int64) -> RoomPlan {
    let free = directories[index].freeBytes
    let shortfall = bytes - free
    guard shortfall > 0 else { return .steps(directory: index, []) }
    let found = collectVictims(in: [index], target: shortfall + max(0, freeAhead))
    guard found.bytes >= shortfall else {
      restore(found.victims)
      return .impossible([(index, found.bytes)])
    }
    return .steps(directory: index, markVictims(found.victims))
  }

  /// Room for a new block of `bytes` in a tier: the directory with most free space first, then the others.
  mutating func planRoom(inTier tier: Int, bytes: Int64, freeAhead: Int64) -> RoomPlan {
    var evictable: [(directory: Int, evictableBytes: Int64)] = []
    for index in tierDirectories[tier].sorted(by: { directories[$0].freeBytes > directories[$1].freeBytes }) {
      switch planRoom(inDirectory: index, bytes: bytes, freeAhead: freeAhead) {
      case .steps(let directory, let steps): return .steps(directory: directory, steps)
      case .impossible(let report): evictable += report
      }
    }
    return .impossible(evictable)
  }

  /// Victims that bring a tier above its high watermark down to its low one (as far as evictable
  /// blocks allow); nothing when the tier is at or below the high watermark.
  mutating func planWatermark(tier: Int, high: Double, low: Double) -> [EvictionStep] {
    let (capacity, used) = tierUsage(tier)
    guard Double(used) > high * Double(capacity) else { return [] }
    let target = used - Int64((low * Double(capacity)).rounded(.down))
    return markVictims(collectVictims(in: tierDirectories[tier], target: target).victims)
  }

  // MARK: - Candidates

  /// Evictable blocks of `directoryIndexes`, least recently used first across them, until their
  /// lengths reach `target` (or none are left). They leave the LRU heaps; `restore` puts them back.
  private mutating func collectVictims(in directoryIndexes: [Int], target: Int64) -> (victims: [LRUHeap.Entry], bytes: Int64) {
    var victims: [LRUHeap.Entry] = []
    var kept: [LRUHeap.Entry] = []
    var seen = Set<Int64>()
    var bytes: Int64 = 0
    while bytes < target, let entry = popOldest(in: directoryIndexes) {
      // A block whose move was aborted is pushed back with the same tick: skip the duplicate.
      guard seen.insert(entry.blockID).inserted, let record = blocks[entry.blockID] else { continue }
      if isEvictable(entry.blockID, record) {
        victims.append(entry)
        bytes += record.length
      } else {
        kept.append(entry)
      }
    }
    restore(kept)
    return (victims, bytes)
  }

  /// Pops the oldest live entry among the directories, dropping stale ones on the way.
  private mutating func popOldest(in directoryIndexes: [Int]) -> LRUHeap.Entry? {
    var oldest: (index: Int, tick: UInt64)?
    for index in directoryIndexes {
      while let top = directories[index].lru.top, !isLive(top, in: index) { directories[index].lru.popTop() }
      if let top = directories[index].lru.top, oldest.map({ top.tick < $0.tick }) ?? true {
        oldest = (index, top.tick)
      }
    }
    guard let oldest else { return nil }
    return directories[oldest.index].lru.popTop()
  }

  private func isLive(_ entry: LRUHeap.Entry, in index: Int) -> Bool {
    guard let record = blocks[entry.blockID] else { return false }
    return record.directory == index && record.lastAccess == entry.tick && !record.removeRequested
  }

  private mutating func restore(_ entries: [LRUHeap.Entry]) {
    for entry in entries {
      guard let record = blocks[entry.blockID] else { continue }
      directories[record.directory].lru.push(entry)
    }
  }

  /// Each victim moves one tier down when a directory there has room without evicting anything,
  /// else it is deleted. Demotions reserve their destination now; deletions leave the table now
  /// (readers no longer find them) but keep their bytes counted until the files are gone.
  private mutating func markVictims(_ victims: [LRUHeap.Entry]) -> [EvictionStep] {
    victims.map { entry in
      let blockID = entry.blockID
      var record = blocks[blockID]!
      let tier = directories[record.directory].tier
      if tier + 1 < tierDirectories.count, let target = reserveInTier(tier + 1, record.length) {
        record.moving = true
        blocks[blockID] = record
        return .demote(blockID: blockID, length: record.length, from: record.directory, to: target)
      }
      _ = detach(blockID)
      changes[blockID] = .removed
      return .delete(blockID: blockID, length: record.length, from: record.directory)
    }
  }
}
