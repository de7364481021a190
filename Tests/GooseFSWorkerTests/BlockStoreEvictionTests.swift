import Foundation
import GooseFSCore
import Testing

@testable import GooseFSWorker

/// The eviction policy, case by case. Blocks are `B` bytes; quotas are multiples of it. Watermarks
/// are 1.0 unless a test is about them, so only writes evict.
@Suite(.timeLimit(.minutes(2))) struct BlockStoreEvictionTests {
  let B = 16 * 1024

  @Test func leastRecentlyUsedIsEvictedFirst() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [3 * Int64(B)])]))
      for id in 1...3 { try writeBlock(store, Int64(id), length: B) }
      _ = store.drainChanges()
      _ = try readBlock(store, 1)  // 1 is now more recent than 2 and 3
      try writeBlock(store, 4, length: B)
      #expect(store.blocks().map(\.blockID) == [1, 3, 4])
      #expect(store.drainChanges().removed == [2])
      _ = try readBlock(store, 3)
      try writeBlock(store, 5, length: B)
      #expect(store.blocks().map(\.blockID) == [3, 4, 5])
    }
  }

  /// A client that read block files by itself reports them (TOUCH_LOCAL): they count as used.
  @Test func blocksTouchedByLocalReadersCountAsRecentlyUsed() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [3 * Int64(B)])]))
      for id in 1...3 { try writeBlock(store, Int64(id), length: B) }
      _ = store.drainChanges()
      store.touch([2, 1, 99])  // 99 is not stored: ignored
      try writeBlock(store, 4, length: B)
      #expect(store.drainChanges().removed == [3])
      #expect(store.blocks().map(\.blockID) == [1, 2, 4])
    }
  }

  @Test func pinnedAndUnpersistedBlocksAreNeverEvicted() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [3 * Int64(B)])]))
      let pinned = BlockID.make(container: 7, index: 0)
      try writeBlock(store, 1, length: B, persisted: false)
      try writeBlock(store, pinned, length: B)
      try writeBlock(store, 3, length: B)
      store.setPinnedContainers([7])
      try writeBlock(store, 4, length: B, persisted: false)  // evicts 3, the only candidate
      #expect(store.blocks().map(\.blockID).sorted() == [1, 4, pinned].sorted())

      let failure = #expect(throws: GooseFSError.self) { try writeBlock(store, 5, length: B) }
      #expect(failure?.code == .resourceExhausted)
      #expect(failure?.message.contains("for block 5 in tier MEM") == true)
      #expect(failure?.message.contains("directory \(root)/mem-0 has 0B free of 48.00KB and 0B evictable") == true)
      #expect(store.blocks().count == 3)

      store.markPersisted([1])
      try writeBlock(store, 5, length: B)
      #expect(!store.contains(1))
      store.setPinnedContainers([])
      try writeBlock(store, 6, length: B)
      #expect(store.blocks().map(\.blockID) == [4, 5, 6])
    }
  }

  @Test func victimsMoveDownBeforeTheyAreDeleted() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [2 * Int64(B)]), ("SSD", [3 * Int64(B)])]))
      try writeBlock(store, 1, length: B)
      try writeBlock(store, 2, length: B)
      _ = store.drainChanges()
      let three = try writeBlock(store, 3, length: B)
      #expect(tierOf(store, 1) == "SSD")
      #expect(FileManager.default.fileExists(atPath: "\(root)/ssd-0/goosefsworker/1"))
      #expect(FileManager.default.fileExists(atPath: "\(root)/ssd-0/goosefsworker/1.meta"))
      #expect(!FileManager.default.fileExists(atPath: "\(root)/mem-0/goosefsworker/1"))
      #expect(try readBlock(store, 1) == blockBytes(1, B))
      let moved = StoredBlockInfo(blockID: 1, length: Int64(B), tierAlias: "SSD", path: "\(root)/ssd-0/goosefsworker/1", persisted: true)
      #expect(store.drainChanges() == BlockStoreChanges(added: [moved, three]))

      try writeBlock(store, 4, length: B)
      try writeBlock(store, 5, length: B)
      #expect(store.blocks().filter { $0.tierAlias == "SSD" }.map(\.blockID) == [1, 2, 3])
      _ = store.drainChanges()
      // SSD is full: the next MEM victim (4) is deleted, and nothing in SSD is evicted for it.
      try writeBlock(store, 6, length: B)
      #expect(!store.contains(4))
      #expect(store.drainChanges().removed == [4])
      #expect(store.blocks().map(\.blockID) == [1, 2, 3, 5, 6])
      #expect(store.usage().map(\.usedBytes) == [2 * Int64(B), 3 * Int64(B)])
    }
  }

  @Test func aWriteThatCannotFitEvictsNothing() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [3 * Int64(B)]), ("SSD", [3 * Int64(B)])]))
      try writeBlock(store, 1, length: B)
      try writeBlock(store, 2, length: B)
      let failure = #expect(throws: GooseFSError.self) { try store.createBlock(9, expectedLength: 4 * Int64(B), persisted: true) }
      #expect(failure?.code == .resourceExhausted)
      #expect(
        failure?.message
          == "Cannot reserve 64.00KB for block 9 in tier MEM: directory \(root)/mem-0 has 16.00KB free of 48.00KB and 32.00KB evictable (blocks being read, pinned, not yet persisted, written or moved are never evicted)"
      )
      #expect(store.blocks().map(\.tierAlias) == ["MEM", "MEM"])
      // Reads keep working, and the id can be used again.
      #expect(try readBlock(store, 2) == blockBytes(2, B))

      // A writer that keeps growing evicts what it can, then fails; it can still abort.
      let writer = try store.createBlock(9, persisted: true)
      for _ in 0..<3 { try writer.write(blockBytes(9, B)) }
      let growing = #expect(throws: GooseFSError.self) { try writer.write(blockBytes(9, B)) }
      #expect(growing?.code == .resourceExhausted)
      #expect(writer.bytesWritten == 3 * Int64(B))
      #expect(store.usage()[0].usedBytes == 3 * Int64(B))
      writer.abort()
      #expect(store.usage()[0].usedBytes == 0)
      #expect(store.blocks().map(\.tierAlias) == ["SSD", "SSD"])
    }
  }

  @Test func leasedBlocksAreNeitherEvictedNorMoved() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [3 * Int64(B)]), ("SSD", [Int64(B)])]))
      for id in 1...3 { try writeBlock(store, Int64(id), length: B) }
      let lease = try store.openForRead(1)
      _ = try readBlock(store, 2)
      _ = try readBlock(store, 3)
      // 1 is least recently used but leased: 2 goes (moved to SSD), then 3 (deleted: SSD is full).
      try writeBlock(store, 4, length: B)
      #expect(tierOf(store, 1) == "MEM" && tierOf(store, 2) == "SSD")
      try writeBlock(store, 5, length: B)
      #expect(!store.contains(3))
      #expect(tierOf(store, 1) == "MEM")

      let others = try [4, 5].map { try store.openForRead($0) }
      let failure = #expect(throws: GooseFSError.self) { try writeBlock(store, 6, length: B) }
      #expect(failure?.code == .resourceExhausted)
      lease.release()
      try writeBlock(store, 6, length: B)
      #expect(!store.contains(1))
      others.forEach { $0.release() }
    }
  }

  @Test func highWatermarkEvictsDownToTheLowOneAfterACommit() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [4 * Int64(B)]), ("SSD", [8 * Int64(B)])], high: 0.75, low: 0.5))
      for id in 1...3 { try writeBlock(store, Int64(id), length: B) }
      #expect(store.usage()[0].usedBytes == 3 * Int64(B))  // exactly at high: nothing happens
      try writeBlock(store, 4, length: B)
      #expect(store.usage().map(\.usedBytes) == [2 * Int64(B), 2 * Int64(B)])
      #expect(tierOf(store, 1) == "SSD" && tierOf(store, 2) == "SSD")
      #expect(tierOf(store, 3) == "MEM" && tierOf(store, 4) == "MEM")
    }
  }

  @Test func startupBringsShrunkenQuotasBackUnderTheWatermark() throws {
    try withTemporaryFolder { root in
      let big = try openStore(makeLayout(root, [("MEM", [8 * Int64(B)])]))
      for id in 1...6 { try writeBlock(big, Int64(id), length: B) }
      let store = try openStore(makeLayout(root, [("MEM", [4 * Int64(B)])], high: 0.9, low: 0.5))
      #expect(store.usage()[0].usedBytes == 2 * Int64(B))
      #expect(store.blocks().map(\.blockID) == [5, 6])
    }
  }

  @Test func promoteMovesABlockToTheTopTier() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [2 * Int64(B)]), ("SSD", [4 * Int64(B)])]))
      try writeBlock(store, 1, length: B, tier: "SSD")
      _ = store.drainChanges()
      #expect(try store.promote(1))
      #expect(tierOf(store, 1) == "MEM")
      #expect(!FileManager.default.fileExists(atPath: "\(root)/ssd-0/goosefsworker/1"))
      #expect(store.drainChanges().added.map(\.tierAlias) == ["MEM"])
      #expect(try store.promote(1))  // already there

      try writeBlock(store, 2, length: B)
      try writeBlock(store, 3, length: B, tier: "SSD")
      let lease = try store.openForRead(3)
      #expect(try store.promote(3) == false)  // being read: stays
      lease.release()
      #expect(try store.promote(3))  // MEM is full: its LRU block (1) moves down to make room
      #expect(tierOf(store, 3) == "MEM" && tierOf(store, 1) == "SSD")
      #expect(try readBlock(store, 3) == blockBytes(3, B))
      #expect(#expect(throws: GooseFSError.self) { try store.promote(99) }?.code == .notFound)
    }
  }

  @Test func newBlocksGoToTheDirectoryWithMostFreeSpace() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [3 * Int64(B), 5 * Int64(B)])]))
      #expect(try writeBlock(store, 1, length: B).path.contains("/mem-1/"))
      #expect(try writeBlock(store, 2, length: B).path.contains("/mem-1/"))
      // 3B free in each: a tie goes to the first directory.
      #expect(try writeBlock(store, 3, length: B).path.contains("/mem-0/"))
      #expect(try writeBlock(store, 4, length: B).path.contains("/mem-1/"))
      #expect(store.usage()[0].usedBytes == 4 * Int64(B))
    }
  }

  /// A long random sequence of operations: the accounting always matches the blocks, and neither
  /// the accounting nor the disk ever exceeds a directory's quota.
  @Test func quotasAreNeverExceeded() throws {
    try withTemporaryFolder { root in
      let layout = makeLayout(root, [("MEM", [64 * 1024, 48 * 1024]), ("SSD", [128 * 1024])], high: 0.9, low: 0.6)
      let store = try openStore(layout)
      var generator = SystemRandomNumberGenerator()
      var nextID: Int64 = 1
      var exhausted = 0
      for step in 0..<400 {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0..<6:
          let length = Int.random(in: 0...20_000, using: &generator)
          do {
            try writeBlock(
              store, nextID, length: length, tier: Bool.random(using: &generator) ? nil : "SSD",
              persisted: Int.random(in: 0..<8, using: &generator) != 0, chunk: 3_000)
          } catch let error as GooseFSError where error.code == .resourceExhausted {
            exhausted += 1
          }
          nextID += 1
        case 6..<8:
          if let block = store.blocks().randomElement(using: &generator) {
            #expect(try readBlock(store, block.blockID) == blockBytes(block.blockID, Int(block.length)))
          }
        case 8:
          if let block = store.blocks().randomElement(using: &generator) { try store.remove(block.blockID) }
        default:
          store.markPersisted(store.blocks().map(\.blockID))
        }
        for (tier, usage) in store.usage().enumerated() {
          #expect(usage.usedBytes <= usage.capacityBytes, "step \(step)")
          let inTier = store.blocks().filter { $0.tierAlias == usage.alias }.reduce(0) { $0 + $1.length }
          #expect(usage.usedBytes == inTier, "step \(step): accounting of tier \(tier)")
        }
        for (tier, quotas) in [("mem", [64 * 1024, 48 * 1024]), ("ssd", [128 * 1024])] {
          for (index, quota) in quotas.enumerated() {
            #expect(bytesOnDisk("\(root)/\(tier)-\(index)") <= Int64(quota), "step \(step)")
          }
        }
      }
      #expect(nextID > 200)
      _ = exhausted
    }
  }
}
