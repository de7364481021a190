import Foundation
import GooseFSCore
import Logging
import Testing

@testable import GooseFSJournal

/// A fresh folder under the system temporary directory, removed when the test ends.
func withTemporaryFolder(_ body: (String) async throws -> Void) async throws {
  let root = FileManager.default.temporaryDirectory
    .appendingPathComponent("goosefs-journal-tests-\(UUID().uuidString)").path
  defer { try? FileManager.default.removeItem(atPath: root) }
  try await body(root + "/journal")
}

let quietLogger = Logger(label: "journal-test") { _ in SwiftLogNoOpLogHandler() }

func openJournal(_ folder: String, _ options: JournalOptions = JournalOptions()) throws -> (UFSJournal, JournalRecovery) {
  try UFSJournal.open(folder: folder, options: options, logger: quietLogger)
}

/// A recognisable payload whose length varies with `index`.
func samplePayload(_ index: Int, length: Int? = nil) -> [UInt8] {
  let size = length ?? (10 + index % 7)
  return (0..<size).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0) }
}

/// Appends `count` sample entries and waits until they are durable.
@discardableResult
func appendSamples(_ journal: UFSJournal, from first: Int = 1, count: Int, length: Int? = nil) throws -> [JournalRecord] {
  var records: [JournalRecord] = []
  for index in first..<(first + count) {
    let payload = samplePayload(index, length: length)
    records.append(JournalRecord(sequence: try journal.append(payload), payload: payload))
  }
  try journal.flush()
  return records
}

func segmentNames(_ folder: String) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("log.") }.sorted()
}

func checkpointNames(_ folder: String) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("checkpoint.") }.sorted()
}

func readBytes(_ path: String) throws -> [UInt8] {
  [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
  try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Byte offsets where each frame of a segment starts, parsed independently of the scanner.
func frameOffsets(_ bytes: [UInt8]) -> [Int] {
  var offsets: [Int] = []
  var offset = 8
  while offset + 16 <= bytes.count {
    offsets.append(offset)
    let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    offset += 16 + length
  }
  return offsets
}

func expectError(_ code: GooseFSError.Code, containing fragments: [String] = [], _ body: () throws -> Void) {
  do {
    try body()
    Issue.record("expected \(code) error")
  } catch let error as GooseFSError {
    #expect(error.code == code, "\(error.message)")
    for fragment in fragments {
      #expect(error.message.contains(fragment), "message \"\(error.message)\" lacks \"\(fragment)\"")
    }
  } catch {
    Issue.record("unexpected error \(error)")
  }
}
