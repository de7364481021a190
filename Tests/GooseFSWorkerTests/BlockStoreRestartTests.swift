import Foundation
import GooseFSCore
import Testing

@testable import GooseFSWorker

/// What a restarted worker finds in its directories.
@Suite(.timeLimit(.minutes(1))) struct BlockStoreRestartTests {
  @Test func committedBlocksAreReloaded() throws {
    try withTemporaryFolder { root in
      let layout = makeLayout(root, [("MEM", [1 << 20]), ("SSD", [1 << 20, 1 << 20])])
      let first = try openStore(layout, options: .init(syncOnCommit: true))
      try writeBlock(first, 1, length: 1_000)
      try writeBlock(first, 2, length: 2_000, tier: "SSD", persisted: false)
      try writeBlock(first, 3, length: 3_000, tier: "SSD")
      let before = first.blocks()
      let usageBefore = first.usage()

      let second = try openStore(layout)
      #expect(second.blocks() == before)
      #expect(second.usage() == usageBefore)
      #expect(second.blockInfo(2)?.persisted == false)
      #expect(try readBlock(second, 3) == blockBytes(3, 3_000))
      // Reloaded blocks are reported at registration (blocks()), not as changes.
      #expect(second.drainChanges().isEmpty)
    }
  }

  @Test func partialBlocksAreDiscarded() throws {
    try withTemporaryFolder { root in
      let layout = makeLayout(root, [("MEM", [1 << 20])])
      let first = try openStore(layout)
      try writeBlock(first, 1, length: 100)
      // A writer that never finished (the process died): its temporary file stays behind.
      let writer = try first.createBlock(2, persisted: true)
      try writer.write(blockBytes(2, 5_000))
      let blocksFolder = "\(root)/mem-0/goosefsworker"
      #expect(try FileManager.default.contentsOfDirectory(atPath: blocksFolder + "/.tmp_blocks").count == 1)
      // A commit interrupted between renaming the block and writing its metadata.
      #expect(FileManager.default.createFile(atPath: blocksFolder + "/3", contents: Data(blockBytes(3, 700))))

      let log = LogRecorder()
      let second = try openStore(layout, logger: log.logger)
      #expect(second.blocks().map(\.blockID) == [1])
      #expect(second.usage()[0].usedBytes == 100)
      #expect(try FileManager.default.contentsOfDirectory(atPath: blocksFolder + "/.tmp_blocks").isEmpty)
      #expect(!FileManager.default.fileExists(atPath: blocksFolder + "/3"))
      #expect(log.messages(atLeast: .info).contains { $0.contains("Discarded 1 partial blocks") })
      #expect(log.messages(atLeast: .warning).contains { $0.contains("Discarding block 3") && $0.contains("no metadata record") })
      writer.abort()
    }
  }

  @Test func anotherClustersBlocksAreDeleted() throws {
    try withTemporaryFolder { root in
      let layout = makeLayout(root, [("MEM", [1 << 20])])
      let info = try writeBlock(openStore(layout, clusterID: "old-cluster"), 1, length: 100)
      let log = LogRecorder()
      let store = try openStore(layout, clusterID: "new-cluster", logger: log.logger)
      #expect(store.blocks().isEmpty)
      #expect(store.usage()[0].usedBytes == 0)
      #expect(!FileManager.default.fileExists(atPath: info.path))
      #expect(!FileManager.default.fileExists(atPath: info.path + ".meta"))
      let warnings = log.messages(atLeast: .warning)
      #expect(warnings.count == 1)
      #expect(warnings.first?.contains("Discarding block 1 in tier MEM directory \(root)/mem-0: it belongs to cluster old-cluster, not new-cluster") == true)
    }
  }

  @Test func corruptMetadataOrWrongLengthIsDeleted() throws {
    try withTemporaryFolder { root in
      let layout = makeLayout(root, [("MEM", [1 << 20])])
      let first = try openStore(layout)
      let corrupt = try writeBlock(first, 1, length: 100)
      let grown = try writeBlock(first, 2, length: 100)
      let kept = try writeBlock(first, 3, length: 100)
      // Flip one byte of the metadata (the length digit) and append to another block's file.
      var metadata = try Data(contentsOf: URL(fileURLWithPath: corrupt.path + ".meta"))
      let index = try #require(metadata.firstRange(of: Data("length 1".utf8))).upperBound - 1
      metadata[index] = UInt8(ascii: "2")
      try metadata.write(to: URL(fileURLWithPath: corrupt.path + ".meta"))
      let handle = try #require(FileHandle(forWritingAtPath: grown.path))
      handle.seekToEndOfFile()
      handle.write(Data([1, 2, 3]))
      handle.closeFile()

      let log = LogRecorder()
      let store = try openStore(layout, logger: log.logger)
      #expect(store.blocks() == [kept])
      let warnings = log.messages(atLeast: .warning)
      #expect(warnings.contains { $0.contains("Discarding block 1") && $0.contains("checksum does not match") })
      #expect(warnings.contains { $0.contains("Discarding block 2") && $0.contains("its file has 103 bytes but its metadata says 100") })
      #expect(!FileManager.default.fileExists(atPath: grown.path))
    }
  }

  @Test func aSecondCopyFromAnInterruptedMoveIsDropped() throws {
    try withTemporaryFolder { root in
      let layout = makeLayout(root, [("MEM", [1 << 20]), ("SSD", [1 << 20])])
      let info = try writeBlock(openStore(layout), 1, length: 100)
      // A crash after a demotion copied the block but before it deleted the source.
      let ssdFolder = "\(root)/ssd-0/goosefsworker"
      try FileManager.default.createDirectory(atPath: ssdFolder, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: info.path, toPath: ssdFolder + "/1")
      try FileManager.default.copyItem(atPath: info.path + ".meta", toPath: ssdFolder + "/1.meta")
      let store = try openStore(layout)
      #expect(store.blocks() == [info])
      #expect(store.usage().map(\.usedBytes) == [100, 0])
      #expect(!FileManager.default.fileExists(atPath: ssdFolder + "/1"))
    }
  }

  @Test func metadataRecordRoundTripsAndDetectsDamage() throws {
    let record = BlockMetadataRecord(blockID: 16_777_217, clusterID: "c-1", length: 67_108_864, persisted: false)
    let bytes = record.encoded()
    #expect(try BlockMetadataRecord.decode(bytes) == record)
    #expect(throws: BlockMetadataRecord.Invalid.self) { try BlockMetadataRecord.decode(Array(bytes.dropLast(3))) }
    var flipped = bytes
    flipped[20] ^= 0x01
    #expect(throws: BlockMetadataRecord.Invalid.self) { try BlockMetadataRecord.decode(flipped) }
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
  }
}
