import Foundation
import Testing

@testable import GooseFSJournal

/// Times recovery of a large journal. Opt-in because it writes ~116 MB; run it optimised:
/// `GOOSEFS_JOURNAL_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter RecoveryPerformance`
@Suite struct RecoveryPerformanceTests {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["GOOSEFS_JOURNAL_BENCH"] != nil))
  func recoverOneMillionEntries() async throws {
    try await withTemporaryFolder { folder in
      let count = 1_000_000
      let payload = [UInt8](repeating: 0x5A, count: 100)
      let (journal, _) = try openJournal(folder)
      for _ in 0..<count { _ = try journal.append(payload) }
      try journal.flush()
      journal.close()

      let start = ContinuousClock.now
      let (reopened, recovery) = try openJournal(folder)
      let elapsed = ContinuousClock.now - start
      reopened.close()
      #expect(recovery.records.count == count)
      print("Recovered \(count) entries of \(payload.count) bytes in \(elapsed)")
    }
  }
}
