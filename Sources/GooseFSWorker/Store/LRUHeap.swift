/// Least-recently-used order of the blocks in one directory: a min-heap of (access tick, block id).
///
/// Every access pushes a new entry instead of finding the old one, so touching a block is
/// O(log n) under the store's lock. Entries whose tick is no longer the block's last access (read
/// again, moved away, removed) are stale and dropped when they reach the top; the store rebuilds
/// the heap when stale entries outnumber live ones.
struct LRUHeap {
  struct Entry {
    var tick: UInt64
    var blockID: Int64
  }

  private(set) var entries: [Entry] = []

  var count: Int { entries.count }
  var top: Entry? { entries.first }

  mutating func push(_ entry: Entry) {
    entries.append(entry)
    var child = entries.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard entries[child].tick < entries[parent].tick else { break }
      entries.swapAt(child, parent)
      child = parent
    }
  }

  @discardableResult
  mutating func popTop() -> Entry? {
    guard !entries.isEmpty else { return nil }
    entries.swapAt(0, entries.count - 1)
    let result = entries.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < entries.count && entries[left].tick < entries[smallest].tick { smallest = left }
      if right < entries.count && entries[right].tick < entries[smallest].tick { smallest = right }
      guard smallest != parent else { break }
      entries.swapAt(parent, smallest)
      parent = smallest
    }
    return result
  }

  mutating func rebuild(_ live: [Entry]) {
    entries = []
    entries.reserveCapacity(live.count)
    for entry in live.sorted(by: { $0.tick < $1.tick }) { entries.append(entry) }  // sorted is a valid heap
  }
}
