import GooseFSCore
import Synchronization
import Testing

@testable import GooseFSJournal

@Suite struct GroupCommitTests {
  @Test func concurrentAppendersAllBecomeDurableAndRecover() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      let taskCount = 400
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<taskCount {
          group.addTask {
            let sequence = try journal.append(samplePayload(index))
            try await journal.waitUntilDurable(sequence)
            #expect(journal.durableSequence >= sequence)
          }
        }
        try await group.waitForAll()
      }
      #expect(journal.durableSequence == UInt64(taskCount))
      #expect(journal.groupCommitCount <= taskCount)
      journal.close()

      let (reopened, recovery) = try openJournal(folder)
      defer { reopened.close() }
      #expect(recovery.records.map(\.sequence) == Array(1...UInt64(taskCount)))
      let payloads = Set(recovery.records.map(\.payload))
      #expect(payloads == Set((0..<taskCount).map { samplePayload($0) }))
    }
  }

  /// Appends that arrive while the writer is busy share one write and one fsync.
  @Test func appendsWaitingTogetherShareOneFsync() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      defer { journal.close() }
      journal.pauseWriterForTesting()
      let sequences = try await withThrowingTaskGroup(of: UInt64.self) { group in
        for index in 0..<200 {
          group.addTask { try journal.append(samplePayload(index)) }
        }
        return try await group.reduce(into: [UInt64]()) { $0.append($1) }
      }
      #expect(journal.groupCommitCount == 0)
      #expect(journal.durableSequence == 0)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for sequence in sequences {
          group.addTask { try await journal.waitUntilDurable(sequence) }
        }
        journal.resumeWriterForTesting()
        try await group.waitForAll()
      }
      #expect(journal.groupCommitCount == 1)
      #expect(journal.durableSequence == 200)
    }
  }

  /// `whenDurable` (how the framed server answers inline mutations) calls back only after the
  /// fsync that covers the sequence, and at once for a sequence already durable.
  @Test func whenDurableCallsBackAfterTheCoveringFsyncOnly() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      defer { journal.close() }
      let first = try journal.append(samplePayload(0))
      try await journal.waitUntilDurable(first)
      let immediate = Mutex(false)
      journal.whenDurable(first) { outcome in immediate.withLock { $0 = (try? outcome.get()) != nil } }
      #expect(immediate.withLock { $0 })

      journal.pauseWriterForTesting()
      let second = try journal.append(samplePayload(1))
      let seenDurable = Mutex<[UInt64]>([])
      await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        journal.whenDurable(second) { outcome in
          #expect((try? outcome.get()) != nil)
          seenDurable.withLock { $0.append(journal.durableSequence) }
          done.resume()
        }
        #expect(seenDurable.withLock { $0.isEmpty })
        #expect(journal.durableSequence < second)
        journal.resumeWriterForTesting()
      }
      #expect(seenDurable.withLock { $0 } == [second])
    }
  }

  /// With a tiny queue bound, appends block for the writer instead of growing memory, and
  /// nothing is lost.
  @Test func fullQueueMakesAppendWaitForTheWriter() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder, JournalOptions(maxQueuedBytes: 300))
      // 116-byte frames: at most two fit in the queue at once; the 1000-byte one only alone.
      var written = try appendSamples(journal, count: 300, length: 100)
      let big = samplePayload(0, length: 1000)
      written.append(JournalRecord(sequence: try journal.append(big), payload: big))
      journal.close()
      let (reopened, recovery) = try openJournal(folder)
      defer { reopened.close() }
      #expect(recovery.records == written)
    }
  }

  @Test func writeFailureFailsWaitersAndLaterAppends() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder)
      defer { journal.close() }
      let durable = try journal.append([1])
      try await journal.waitUntilDurable(durable)

      journal.failNextWriteForTesting(GooseFSError(.ioError, "Cannot write: disk on fire"))
      let doomed = try journal.append([2])
      await #expect(throws: GooseFSError.self) { try await journal.waitUntilDurable(doomed) }
      expectError(.ioError, containing: ["disk on fire"]) { _ = try journal.append([3]) }
      expectError(.ioError) { try journal.flush() }
      expectError(.ioError) { try journal.writeCheckpoint(sequence: 1, payload: []) }
      // What was durable before the failure stays durable.
      try await journal.waitUntilDurable(durable)
      #expect(journal.durableSequence == durable)
    }
  }
}
