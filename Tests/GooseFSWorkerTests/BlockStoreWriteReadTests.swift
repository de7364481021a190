import Foundation
import GooseFSCore
import Testing

@testable import GooseFSWorker

/// Writing, committing, reading back, removing, and what the heartbeat is told.
@Suite(.timeLimit(.minutes(1))) struct BlockStoreWriteReadTests {
  @Test func writtenBlockReadsBackAndIsReported() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20]), ("SSD", [1 << 20])]))
      let info = try writeBlock(store, 42, length: 10_000, chunk: 3_000)
      #expect(info == StoredBlockInfo(blockID: 42, length: 10_000, tierAlias: "MEM", path: "\(root)/mem-0/goosefsworker/42", persisted: true))
      #expect(FileManager.default.fileExists(atPath: info.path))
      #expect(FileManager.default.fileExists(atPath: info.path + ".meta"))
      #expect(try readBlock(store, 42) == blockBytes(42, 10_000))
      #expect(store.contains(42))
      #expect(store.blocks() == [info])
      #expect(store.usage() == [TierUsage(alias: "MEM", capacityBytes: 1 << 20, usedBytes: 10_000), TierUsage(alias: "SSD", capacityBytes: 1 << 20, usedBytes: 0)])
      #expect(store.drainChanges() == BlockStoreChanges(added: [info]))
      #expect(store.drainChanges().isEmpty)
      // The temporary folder holds nothing once committed.
      #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/mem-0/goosefsworker/.tmp_blocks").isEmpty)
    }
  }

  @Test func blocksCanBeWrittenToANamedTier() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20]), ("SSD", [1 << 20])]))
      #expect(try writeBlock(store, 1, length: 100, tier: "ssd").tierAlias == "SSD")
      let unknown = #expect(throws: GooseFSError.self) { try store.createBlock(2, tierAlias: "HDD", persisted: true) }
      #expect(unknown?.code == .invalidArgument)
      #expect(unknown?.message == "This worker has no tier HDD; its tiers are MEM, SSD")
    }
  }

  @Test func reservationCountsWhileWritingAndAbortFreesIt() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      let writer = try store.createBlock(5, expectedLength: 300_000, persisted: true)
      #expect(store.usage()[0].usedBytes == 300_000)
      try writer.write(blockBytes(5, 1_000))
      #expect(!store.contains(5))
      #expect(throws: GooseFSError.self) { try store.openForRead(5) }
      let second = #expect(throws: GooseFSError.self) { try store.createBlock(5, persisted: true) }
      #expect(second?.code == .alreadyExists)
      writer.abort()
      #expect(store.usage()[0].usedBytes == 0)
      #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/mem-0/goosefsworker/.tmp_blocks").isEmpty)
      let late = #expect(throws: GooseFSError.self) { try writer.write([1]) }
      #expect(late?.code == .failedPrecondition)
      // The id is free again.
      try writeBlock(store, 5, length: 10)
      let again = #expect(throws: GooseFSError.self) { try store.createBlock(5, persisted: true) }
      #expect(again?.message == "Block 5 is already stored in tier MEM")
    }
  }

  @Test func droppedWriterIsAborted() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      do {
        let writer = try store.createBlock(9, persisted: true)
        try writer.write(blockBytes(9, 4096))
      }
      #expect(store.usage()[0].usedBytes == 0)
      try writeBlock(store, 9, length: 10)
    }
  }

  @Test func commitReleasesTheUnusedReservation() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      try writeBlock(store, 3, length: 1_000, expectedLength: 64 * 1024)
      #expect(store.usage()[0].usedBytes == 1_000)
    }
  }

  @Test func emptyBlockIsABlock() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      #expect(try store.createBlock(8, persisted: true).commit().length == 0)
      #expect(try readBlock(store, 8) == [])
    }
  }

  @Test func removeDeletesAndIsReported() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      let info = try writeBlock(store, 1, length: 500)
      _ = store.drainChanges()
      try store.remove(1)
      #expect(!store.contains(1))
      #expect(!FileManager.default.fileExists(atPath: info.path))
      #expect(!FileManager.default.fileExists(atPath: info.path + ".meta"))
      #expect(store.usage()[0].usedBytes == 0)
      #expect(store.drainChanges() == BlockStoreChanges(removed: [1]))
      let missing = #expect(throws: GooseFSError.self) { try store.remove(1) }
      #expect(missing?.code == .notFound)
      #expect(missing?.message == "Block 1 is not stored on this worker")
    }
  }

  @Test func onlyTheLastChangeOfABlockIsReported() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      try writeBlock(store, 1, length: 10)
      try store.remove(1)
      let info = try writeBlock(store, 2, length: 10)
      #expect(store.drainChanges() == BlockStoreChanges(added: [info], removed: [1]))
    }
  }

  @Test func leasedBlockIsRemovedWhenTheLastLeaseIsReleased() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      let info = try writeBlock(store, 1, length: 2_000)
      let first = try store.openForRead(1)
      let second = try store.openForRead(1)
      try store.remove(1)
      // Gone for new readers and writers, still there for the open ones.
      #expect(!store.contains(1))
      #expect(throws: GooseFSError.self) { try store.openForRead(1) }
      #expect(#expect(throws: GooseFSError.self) { try store.createBlock(1, persisted: true) }?.code == .unavailable)
      #expect(FileManager.default.fileExists(atPath: info.path))
      #expect(store.usage()[0].usedBytes == 2_000)
      first.release()
      first.release()  // idempotent
      #expect(FileManager.default.fileExists(atPath: info.path))
      var buffer = [UInt8](repeating: 0, count: 2_000)
      #expect(try buffer.withUnsafeMutableBytes { try store.io.readFully(fd: second.fd, into: $0, at: 0) } == 2_000)
      #expect(buffer == blockBytes(1, 2_000))
      second.release()
      #expect(!FileManager.default.fileExists(atPath: info.path))
      #expect(store.usage()[0].usedBytes == 0)
      try writeBlock(store, 1, length: 10)
    }
  }

  @Test func markPersistedSurvivesInTheMetadata() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      let info = try writeBlock(store, 1, length: 10, persisted: false)
      #expect(!info.persisted)
      store.markPersisted([1, 999])
      #expect(store.blockInfo(1)?.persisted == true)
      let record = try BlockMetadataRecord.decode(BlockFiles.readSmallFile(info.path + ".meta"))
      #expect(record == BlockMetadataRecord(blockID: 1, clusterID: testClusterID, length: 10, persisted: true))
    }
  }

  @Test func markPersistedDuringTheWriteIsKept() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]))
      let writer = try store.createBlock(1, persisted: false)
      try writer.write([1, 2, 3])
      store.markPersisted([1])
      #expect(try writer.commit().persisted)
    }
  }

  /// O_DIRECT on a disk tier while writes are aligned, buffered from the first unaligned one.
  @Test func directWritesOnDiskTiersFallBackForUnalignedTails() throws {
    try withTemporaryFolder(base: "/var/tmp") { root in
      let store = try openStore(makeLayout(root, [("SSD", [1 << 20])]), options: .init(syncOnCommit: true, directWrites: true))
      let writer = try store.createBlock(1, persisted: true)
      let aligned = DirectIO.allocate(byteCount: 8192)
      defer { aligned.deallocate() }
      let content = blockBytes(1, 8192 + 100)
      aligned.copyBytes(from: content[0..<8192])
      try writer.write(UnsafeRawBufferPointer(aligned))
      #expect(writer.usesDirectIO)
      try writer.write(Array(content[8192...]))
      #expect(!writer.usesDirectIO)
      _ = try writer.commit()
      #expect(try readBlock(store, 1) == content)
    }
  }

  @Test func memoryTiersNeverUseDirectIO() throws {
    try withTemporaryFolder { root in
      let store = try openStore(makeLayout(root, [("MEM", [1 << 20])]), options: .init(directWrites: true))
      let writer = try store.createBlock(1, persisted: true)
      #expect(!writer.usesDirectIO)
      writer.abort()
    }
  }
}
