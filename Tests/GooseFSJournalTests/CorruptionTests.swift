import Foundation
import GooseFSCore
import Testing

@testable import GooseFSJournal

/// Damage anywhere but the very end cannot come from an interrupted append: opening must refuse,
/// say where, and leave the files untouched for whoever restores them.
@Suite struct CorruptionTests {
  let advice = "must be restored from a backup or formatted"

  /// Opening must throw `.corrupted` with `fragments` in the message and change no file.
  private func expectCorrupted(_ folder: String, _ options: JournalOptions = JournalOptions(), containing fragments: [String]) throws {
    let before = try snapshot(folder)
    expectError(.corrupted, containing: fragments + [advice]) { _ = try openJournal(folder, options) }
    #expect(try snapshot(folder) == before)
    // The failed open released the folder lock.
    try FolderLock.acquire(folder: folder).release()
  }

  private func snapshot(_ folder: String) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name != "LOCK" {
      files[name] = try readBytes(folder + "/" + name)
    }
    return files
  }

  @Test func flippedByteInAnEarlierFrame() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      try appendSamples(journal, count: 5, length: 20)
      journal.close()
      let segment = folder + "/log.00000000000000000001"
      var bytes = try readBytes(segment)
      let second = frameOffsets(bytes)[1]
      bytes[second + 18] ^= 0x01
      try writeBytes(bytes, to: segment)
      try expectCorrupted(folder, containing: [segment, "byte offset \(second)", "checksum mismatch"])
    }
  }

  @Test func flippedByteInANonLastSegment() async throws {
    try await withTemporaryFolder { folder in
      let options = JournalOptions(segmentSizeBytes: 256)
      let (journal, _) = try openJournal(folder, options)
      try appendSamples(journal, count: 9, length: 50)
      journal.close()
      let segment = folder + "/log.00000000000000000004"
      var bytes = try readBytes(segment)
      let last = frameOffsets(bytes).last!
      bytes[last + 30] ^= 0x80
      try writeBytes(bytes, to: segment)
      try expectCorrupted(folder, options, containing: [segment, "byte offset \(last)", "not the last one"])
    }
  }

  @Test func truncatedNonLastSegment() async throws {
    try await withTemporaryFolder { folder in
      let options = JournalOptions(segmentSizeBytes: 256)
      let (journal, _) = try openJournal(folder, options)
      try appendSamples(journal, count: 9, length: 50)
      journal.close()
      let segment = folder + "/log.00000000000000000001"
      let bytes = try readBytes(segment)
      try writeBytes(Array(bytes.dropLast(10)), to: segment)
      try expectCorrupted(folder, options, containing: [segment])
    }
  }

  @Test func missingMiddleSegment() async throws {
    try await withTemporaryFolder { folder in
      let options = JournalOptions(segmentSizeBytes: 256)
      let (journal, _) = try openJournal(folder, options)
      try appendSamples(journal, count: 9, length: 50)
      journal.close()
      try FileManager.default.removeItem(atPath: folder + "/log.00000000000000000004")
      try expectCorrupted(folder, options, containing: ["missing entries", "log.00000000000000000007"])
    }
  }

  @Test func intactEntryWithTheWrongSequence() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      try appendSamples(journal, count: 3, length: 20)
      journal.close()
      let segment = folder + "/log.00000000000000000001"
      var bytes = try readBytes(segment)
      FrameLayout.append(sequence: 9, payload: [1, 2], to: &bytes)
      try writeBytes(bytes, to: segment)
      try expectCorrupted(folder, containing: [segment, "expected sequence 4 but found 9"])
    }
  }

  @Test func damagedCheckpoint() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      try appendSamples(journal, count: 3)
      try journal.writeCheckpoint(sequence: 2, payload: Array("snapshot".utf8))
      journal.close()
      let checkpoint = folder + "/checkpoint.00000000000000000002"
      var bytes = try readBytes(checkpoint)
      bytes[bytes.count - 1] ^= 0x01
      try writeBytes(bytes, to: checkpoint)
      try expectCorrupted(folder, containing: [checkpoint, "checksum mismatch"])
    }
  }

  @Test func segmentsStartingAfterTheCheckpoint() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      try appendSamples(journal, count: 3)
      journal.close()
      try FileManager.default.moveItem(
        atPath: folder + "/log.00000000000000000001", toPath: folder + "/log.00000000000000000004")
      // The file's entries no longer match its name, which the scanner reports.
      try expectCorrupted(folder, containing: ["log.00000000000000000004"])
    }
  }

  @Test func newerFormatVersionIsRefused() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      try appendSamples(journal, count: 2)
      journal.close()
      let segment = folder + "/log.00000000000000000001"
      var bytes = try readBytes(segment)
      bytes[4] = 2
      try writeBytes(bytes, to: segment)
      expectError(.failedPrecondition, containing: [segment, "format version 2"]) { _ = try openJournal(folder) }
    }
  }
}
