import Foundation
import GooseFSCore
import Testing

@testable import GooseFSJournal

@Suite struct SegmentAndCheckpointTests {
  // 50-byte payloads make 66-byte frames: three fit in a 256-byte segment after its 8-byte header.
  let smallSegments = JournalOptions(segmentSizeBytes: 256)

  @Test func segmentsRollAtTheSizeLimit() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder, smallSegments)
      let written = try appendSamples(journal, count: 30, length: 50)
      journal.close()
      let names = try segmentNames(folder)
      #expect(names.count == 10)
      #expect(names.first == "log.00000000000000000001")
      #expect(names.last == "log.00000000000000000028")
      for name in names {
        #expect(try readBytes(folder + "/" + name).count <= 256)
      }
      let (reopened, recovery) = try openJournal(folder, smallSegments)
      defer { reopened.close() }
      #expect(recovery.records == written)
    }
  }

  @Test func anEntryLargerThanASegmentGetsItsOwn() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder, smallSegments)
      var written = try appendSamples(journal, count: 2, length: 50)
      written += try appendSamples(journal, from: 3, count: 1, length: 1000)
      written += try appendSamples(journal, from: 4, count: 1, length: 50)
      journal.close()
      #expect(try segmentNames(folder) == ["log.00000000000000000001", "log.00000000000000000003", "log.00000000000000000004"])
      let (reopened, recovery) = try openJournal(folder, smallSegments)
      defer { reopened.close() }
      #expect(recovery.records == written)
    }
  }

  @Test func checkpointRemovesCoveredSegmentsAndRecoveryReplaysTheRest() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder, smallSegments)
      let written = try appendSamples(journal, count: 30, length: 50)
      try journal.writeCheckpoint(sequence: 20, payload: Array("state@20".utf8))
      #expect(journal.checkpointSequence == 20)
      #expect(journal.entriesSinceCheckpoint == 10)
      // Segment 19..21 still holds 21, so it stays; everything before it is gone.
      #expect(try segmentNames(folder).first == "log.00000000000000000019")
      #expect(try checkpointNames(folder) == ["checkpoint.00000000000000000020"])
      let later = try appendSamples(journal, from: 31, count: 2, length: 50)
      journal.close()

      let (reopened, recovery) = try openJournal(folder, smallSegments)
      defer { reopened.close() }
      #expect(recovery.checkpoint == JournalCheckpoint(sequence: 20, payload: Array("state@20".utf8)))
      #expect(recovery.records == Array(written[20...]) + later)
      #expect(reopened.entriesSinceCheckpoint == 12)
    }
  }

  /// Entries after the checkpoint that share a segment with covered ones must survive, and the
  /// writer moves to a new segment so the old one can go at the next checkpoint.
  @Test func checkpointInsideTheOpenSegmentKeepsLaterEntries() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      let first = try appendSamples(journal, count: 10)
      try journal.writeCheckpoint(sequence: 5, payload: [5])
      let second = try appendSamples(journal, from: 11, count: 5)
      #expect(try segmentNames(folder) == ["log.00000000000000000001", "log.00000000000000000011"])
      journal.close()

      let (reopened, recovery) = try openJournal(folder)
      #expect(recovery.checkpoint?.sequence == 5)
      #expect(recovery.records == Array(first[5...]) + second)

      try reopened.writeCheckpoint(sequence: 12, payload: [12])
      #expect(try segmentNames(folder) == ["log.00000000000000000011"])
      #expect(try checkpointNames(folder) == ["checkpoint.00000000000000000012"])
      reopened.close()
      let (last, final) = try openJournal(folder)
      defer { last.close() }
      #expect(final.checkpoint?.payload == [12])
      #expect(final.records == Array(second[2...]))
    }
  }

  @Test func checkpointAtTheLastEntryLeavesNoSegments() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      try appendSamples(journal, count: 3)
      try journal.writeCheckpoint(sequence: 3, payload: [3])
      #expect(try segmentNames(folder).isEmpty)
      journal.close()
      let (reopened, recovery) = try openJournal(folder)
      defer { reopened.close() }
      #expect(recovery.checkpoint?.sequence == 3)
      #expect(recovery.records.isEmpty)
      #expect(try reopened.append([4]) == 4)
    }
  }

  @Test func checkpointsWhileAppendsContinue() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder, smallSegments)
      let appender = Task.detached {
        for index in 1...300 {
          let sequence = try journal.append(samplePayload(index, length: 50))
          if index % 50 == 0 { try await journal.waitUntilDurable(sequence) }
        }
      }
      for _ in 0..<10 {
        let sequence = journal.lastSequence
        try journal.writeCheckpoint(sequence: sequence, payload: Array("\(sequence)".utf8))
      }
      try await appender.value
      try journal.flush()
      journal.close()

      let (reopened, recovery) = try openJournal(folder, smallSegments)
      defer { reopened.close() }
      let base = recovery.checkpoint?.sequence ?? 0
      #expect(recovery.checkpoint.map { String(decoding: $0.payload, as: UTF8.self) } == recovery.checkpoint.map { "\($0.sequence)" })
      #expect(recovery.records.map(\.sequence) == Array((base + 1)..<301))
      for record in recovery.records {
        #expect(record.payload == samplePayload(Int(record.sequence), length: 50))
      }
    }
  }

  @Test func checkpointBeyondTheLogIsRejected() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      defer { journal.close() }
      try appendSamples(journal, count: 3)
      expectError(.invalidArgument) { try journal.writeCheckpoint(sequence: 4, payload: []) }
      try journal.writeCheckpoint(sequence: 3, payload: [])
      expectError(.invalidArgument) { try journal.writeCheckpoint(sequence: 2, payload: []) }
    }
  }

  @Test func leftoverTemporaryCheckpointIsRemoved() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      let written = try appendSamples(journal, count: 4)
      journal.close()
      let leftover = folder + "/checkpoint.00000000000000000004.tmp"
      try writeBytes([1, 2, 3], to: leftover)

      let (reopened, recovery) = try openJournal(folder)
      defer { reopened.close() }
      #expect(recovery.checkpoint == nil)
      #expect(recovery.records == written)
      #expect(!FileManager.default.fileExists(atPath: leftover))
    }
  }

  /// A crash between writing a checkpoint and deleting the segments it covers: recovery
  /// finishes the clean-up.
  @Test func recoveryRemovesSegmentsCoveredByTheCheckpoint() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      try appendSamples(journal, count: 5)
      journal.close()
      try CheckpointFile.write(JournalCheckpoint(sequence: 5, payload: [9]), folder: folder)

      let (reopened, recovery) = try openJournal(folder)
      #expect(recovery.checkpoint?.payload == [9])
      #expect(recovery.records.isEmpty)
      #expect(try segmentNames(folder).isEmpty)
      #expect(try reopened.append([6]) == 6)
      reopened.close()
      let (last, final) = try openJournal(folder)
      defer { last.close() }
      #expect(final.records == [JournalRecord(sequence: 6, payload: [6])])
    }
  }
}
