import Foundation
import GooseFSCore
import Testing

@testable import GooseFSJournal

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct LockAndFormatTests {
  @Test func secondOpenIsRefusedUntilTheFirstCloses() async throws {
    try await withTemporaryFolder { folder in
      let (first, _) = try openJournal(folder)
      expectError(.failedPrecondition, containing: ["Journal folder \(folder) is in use by another master (pid \(getpid()))"]) {
        _ = try openJournal(folder)
      }
      try appendSamples(first, count: 2)
      first.close()
      let (second, recovery) = try openJournal(folder)
      defer { second.close() }
      #expect(recovery.records.count == 2)
    }
  }

  @Test func releasingTheJournalWithoutCloseReleasesTheLock() async throws {
    try await withTemporaryFolder { folder in
      do {
        let (journal, _) = try openJournal(folder)
        _ = try journal.append([1])
      }
      let (again, recovery) = try openJournal(folder)
      defer { again.close() }
      #expect(recovery.records.count == 1)
    }
  }

  @Test func formatRefusesWhileOpenAndWipesAfterwards() async throws {
    try await withTemporaryFolder { folder in
      let (journal, _) = try openJournal(folder, JournalOptions(segmentSizeBytes: 256))
      try appendSamples(journal, count: 10, length: 50)
      try journal.writeCheckpoint(sequence: 5, payload: [5])
      expectError(.failedPrecondition, containing: ["in use by another master"]) {
        try UFSJournal.format(folder: folder)
      }
      journal.close()
      try writeBytes([0], to: folder + "/checkpoint.00000000000000000009.tmp")
      try writeBytes([7], to: folder + "/unrelated.txt")

      try UFSJournal.format(folder: folder)
      #expect(try segmentNames(folder).isEmpty)
      #expect(try checkpointNames(folder).isEmpty)
      #expect(FileManager.default.fileExists(atPath: folder + "/unrelated.txt"))

      let (fresh, recovery) = try openJournal(folder)
      defer { fresh.close() }
      #expect(recovery.checkpoint == nil)
      #expect(recovery.records.isEmpty)
      #expect(fresh.lastSequence == 0)
      #expect(try fresh.append([1]) == 1)
    }
  }

  @Test func formatCreatesAMissingFolder() async throws {
    try await withTemporaryFolder { folder in
      try UFSJournal.format(folder: folder + "/new")
      var isDirectory: ObjCBool = false
      #expect(FileManager.default.fileExists(atPath: folder + "/new", isDirectory: &isDirectory))
      #expect(isDirectory.boolValue)
    }
  }
}
