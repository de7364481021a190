import Foundation
import GooseFSCore
import Testing

@testable import GooseFSJournal

@Suite struct AppendAndRecoveryTests {
  @Test func missingFolderIsCreatedEmpty() async throws {
    try await withTemporaryFolder { folder in
      let nested = folder + "/a/b"
      let (journal, recovery) = try openJournal(nested)
      defer { journal.close() }
      #expect(recovery.checkpoint == nil)
      #expect(recovery.records.isEmpty)
      #expect(recovery.truncatedTailBytes == 0)
      #expect(journal.lastSequence == 0)
      #expect(FileManager.default.fileExists(atPath: nested + "/LOCK"))
    }
  }

  @Test func reopenReturnsTheSameRecords() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      var written = try appendSamples(journal, count: 100)
      // Empty payloads are legal entries too.
      let empty = try journal.append([])
      written.append(JournalRecord(sequence: empty, payload: []))
      try journal.flush()
      #expect(journal.durableSequence == 101)
      #expect(journal.lastSequence == 101)
      #expect(journal.entriesSinceCheckpoint == 101)
      journal.close()

      let (reopened, recovery) = try openJournal(folder)
      #expect(recovery.records == written)
      #expect(recovery.lastSequence == 101)
      #expect(reopened.lastSequence == 101)
      #expect(reopened.durableSequence == 101)
      // Appends continue after the recovered entries, in the same segment file.
      #expect(try reopened.append([1, 2, 3]) == 102)
      reopened.close()
      #expect(try segmentNames(folder) == ["log.00000000000000000001"])

      let (last, again) = try openJournal(folder)
      defer { last.close() }
      #expect(again.records.count == 102)
      #expect(again.records.last == JournalRecord(sequence: 102, payload: [1, 2, 3]))
    }
  }

  @Test func waitUntilDurableResumesAfterFsync() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      defer { journal.close() }
      let sequence = try journal.append(samplePayload(1))
      try await journal.waitUntilDurable(sequence)
      #expect(journal.durableSequence >= sequence)
      // Already durable: returns at once.
      try await journal.waitUntilDurable(sequence)
      try await journal.waitUntilDurable(0)
    }
  }

  @Test func waitingForAnUnassignedSequenceIsAnError() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      defer { journal.close() }
      await #expect(throws: GooseFSError.self) { try await journal.waitUntilDurable(5) }
    }
  }

  @Test func appendAfterCloseThrows() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      _ = try journal.append([1])
      journal.close()
      journal.close()  // idempotent
      #expect(journal.durableSequence == 1)  // close flushed
      expectError(.failedPrecondition, containing: ["closed"]) { _ = try journal.append([2]) }
    }
  }

  @Test func invalidOptionsAreRejected() async throws {
    try await withTemporaryFolder { folder in
      expectError(.invalidArgument) { _ = try openJournal(folder, JournalOptions(segmentSizeBytes: 8)) }
      expectError(.invalidArgument) { _ = try openJournal(folder, JournalOptions(maxQueuedBytes: 0)) }
    }
  }
}
