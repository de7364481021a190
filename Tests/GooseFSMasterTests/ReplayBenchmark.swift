import Foundation
import GooseFSCore
import GooseFSJournal
import Logging
import Testing

@testable import GooseFSMaster

/// Journal replay time for many entries (decode + apply). Opt-in: scripts/bench/journal-replay.sh
/// sets GOOSEFS_BENCH=1; numbers go to docs/performance.md, never into a pass/fail decision.
@Suite struct ReplayBenchmark {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["GOOSEFS_BENCH"] == "1"))
  func replayOfOneMillionEntries() async throws {
    let count = Int(ProcessInfo.processInfo.environment["GOOSEFS_BENCH_ENTRIES"] ?? "") ?? 1_000_000
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("replay-bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var logger = Logger(label: "bench")
    logger.logLevel = .error

    // A realistic mix: directories of 1000 files each, every entry a whole inode record.
    let (journal, _) = try UFSJournal.open(folder: folder, options: JournalOptions(), logger: logger)
    var root = InodeRecord()
    root.id = 1
    root.parentID = 1
    root.kind = .directory
    _ = try journal.append(try JournalEntry.with { $0.upsertInode = root }.serializedBytes())
    var nextID: Int64 = 2
    var directoryID: Int64 = 1
    for index in 1..<count {
      var record = InodeRecord()
      record.id = nextID
      if index % 1000 == 1 {
        record.parentID = 1
        record.kind = .directory
        record.name = "dir\(index / 1000)"
        directoryID = nextID
      } else {
        record.parentID = directoryID
        record.kind = .file
        record.name = "file\(index % 1000).dat"
        record.length = Int64(index)
        record.blockContainerID = nextID
        record.blockIds = [nextID << 24]
      }
      record.owner = "root"
      record.group = "root"
      record.mode = 0o644
      record.persistenceState = .persisted
      record.completed = true
      nextID += 1
      _ = try journal.append(try JournalEntry.with { $0.upsertInode = record }.serializedBytes())
    }
    try journal.flush()
    journal.close()

    let clock = ContinuousClock()
    let start = clock.now
    let (reopened, recovery) = try UFSJournal.open(folder: folder, options: JournalOptions(), logger: logger)
    let read = clock.now
    let state = try MasterProcess.replay(recovery)
    let applied = clock.now
    reopened.close()
    #expect(state.inodes.count == count)
    print("BENCH journal-replay entries=\(count) read=\(read - start) decode+apply=\(applied - read) total=\(applied - start)")
  }
}
