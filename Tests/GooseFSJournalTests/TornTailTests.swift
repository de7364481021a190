import Foundation
import GooseFSCore
import Testing

@testable import GooseFSJournal

/// A crash mid-append leaves a damaged end of the log; recovery cuts it off and carries on.
@Suite struct TornTailTests {
  /// Five entries of 20 bytes (36-byte frames) in one segment; returns the segment's bytes.
  private func makeJournal(_ folder: String) throws -> (written: [JournalRecord], segment: String, bytes: [UInt8]) {
    let (journal, _) = try openJournal(folder)
    let written = try appendSamples(journal, count: 5, length: 20)
    journal.close()
    let segment = folder + "/log.00000000000000000001"
    return (written, segment, try readBytes(segment))
  }

  /// Recovery must report `dropped` bytes, keep `expected` records, and accept appends after.
  private func expectRecovers(_ folder: String, keeping expected: [JournalRecord], dropped: Int) throws {
    let (journal, recovery) = try openJournal(folder)
    #expect(recovery.records == expected)
    #expect(recovery.truncatedTailBytes == dropped)
    let next = try journal.append([0xAB])
    #expect(next == UInt64(expected.count + 1))
    journal.close()
    let (reopened, again) = try openJournal(folder)
    defer { reopened.close() }
    #expect(again.records == expected + [JournalRecord(sequence: next, payload: [0xAB])])
    #expect(again.truncatedTailBytes == 0)
  }

  @Test func cutAtEveryOffsetInsideTheLastFrame() async throws {
    try await withTemporaryFolder { folder in
      let (written, segment, pristine) = try makeJournal(folder)
      let lastFrame = frameOffsets(pristine).last!
      for cut in lastFrame..<pristine.count {
        try writeBytes(Array(pristine[..<cut]), to: segment)
        try expectRecovers(folder, keeping: Array(written.prefix(4)), dropped: cut - lastFrame)
      }
    }
  }

  @Test func zeroFilledTailIsDropped() async throws {
    try await withTemporaryFolder { folder in
      let (written, segment, pristine) = try makeJournal(folder)
      try writeBytes(pristine + [UInt8](repeating: 0, count: 4096), to: segment)
      try expectRecovers(folder, keeping: written, dropped: 4096)
    }
  }

  @Test func zeroedLastFrameIsDropped() async throws {
    try await withTemporaryFolder { folder in
      let (written, segment, pristine) = try makeJournal(folder)
      var bytes = pristine
      let lastFrame = frameOffsets(pristine).last!
      for index in lastFrame..<bytes.count { bytes[index] = 0 }
      try writeBytes(bytes, to: segment)
      try expectRecovers(folder, keeping: Array(written.prefix(4)), dropped: 36)
    }
  }

  @Test func badChecksumInTheLastFrameIsDropped() async throws {
    try await withTemporaryFolder { folder in
      let (written, segment, pristine) = try makeJournal(folder)
      let lastFrame = frameOffsets(pristine).last!
      for position in [lastFrame + 20, lastFrame + 4, lastFrame + 1] {  // payload, CRC, length
        var bytes = pristine
        bytes[position] ^= 0x40
        try writeBytes(bytes, to: segment)
        try expectRecovers(folder, keeping: Array(written.prefix(4)), dropped: 36)
        try writeBytes(pristine, to: segment)  // expectRecovers appended; start over
      }
    }
  }

  /// The writer died right after creating a new segment file: its header is incomplete.
  @Test func partialHeaderOfANewSegmentIsDropped() async throws {
    try await withTemporaryFolder { folder in
      let (written, _, _) = try makeJournal(folder)
      let fresh = folder + "/log.00000000000000000006"
      try writeBytes(Array("GFS".utf8), to: fresh)
      try expectRecovers(folder, keeping: written, dropped: 3)
      #expect(try segmentNames(folder) == ["log.00000000000000000001"])
    }
  }

  @Test func newSegmentWithOnlyAHeaderIsRemoved() async throws {
    try await withTemporaryFolder { folder in
      let (written, _, pristine) = try makeJournal(folder)
      try writeBytes(Array(pristine[..<8]), to: folder + "/log.00000000000000000006")
      try expectRecovers(folder, keeping: written, dropped: 0)
    }
  }

  @Test func tornTailInTheLastOfSeveralSegments() async throws {
    try await withTemporaryFolder { folder in
      let options = JournalOptions(segmentSizeBytes: 256)
      let (journal, _) = try openJournal(folder, options)
      let written = try appendSamples(journal, count: 8, length: 50)
      journal.close()
      let last = folder + "/log.00000000000000000007"
      let bytes = try readBytes(last)
      try writeBytes(Array(bytes.dropLast(5)), to: last)

      let (reopened, recovery) = try openJournal(folder, options)
      #expect(recovery.records == Array(written.prefix(7)))
      #expect(recovery.truncatedTailBytes == 61)
      #expect(try reopened.append([1]) == 8)
      reopened.close()
      let (again, final) = try openJournal(folder, options)
      defer { again.close() }
      #expect(final.records.count == 8)
    }
  }
}
