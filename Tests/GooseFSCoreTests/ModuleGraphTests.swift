import Foundation
import Testing

/// The one-way module rule of docs/architecture.md, checked on the sources: each library may
/// import only the project modules listed for it (Master and Client never see each other; the
/// client never sees the under stores; only the UFS module touches the C module).
@Suite struct ModuleGraphTests {
  static let allowed: [String: Set<String>] = [
    "GooseFSCore": [],
    "GooseFSRPC": ["GooseFSCore", "CGooseFSFDPassing"],
    "GooseFSJournal": ["GooseFSCore"],
    "GooseFSUFS": ["GooseFSCore", "CGooseFSHTTP"],
    "GooseFSMaster": ["GooseFSCore", "GooseFSRPC", "GooseFSJournal", "GooseFSUFS"],
    "GooseFSWorker": ["GooseFSCore", "GooseFSRPC", "GooseFSUFS", "CGooseFSURing"],
    "GooseFSClient": ["GooseFSCore", "GooseFSRPC"],
    "GooseFSShell": ["GooseFSCore", "GooseFSClient"],
    "GooseFSFuse": ["GooseFSCore", "GooseFSClient", "CGooseFSFuse"],
  ]

  static let sources = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources")

  @Test(arguments: allowed.keys.sorted())
  func importsFollowTheOneWayRule(module: String) throws {
    let folder = Self.sources.appendingPathComponent(module)
    let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") }
    #expect(!files.isEmpty)
    for file in files {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix("import ") {
        let imported = String(line.dropFirst("import ".count)).trimmingCharacters(in: .whitespaces)
        guard imported.hasPrefix("GooseFS") || imported.hasPrefix("CGooseFS") else { continue }
        #expect(Self.allowed[module]!.contains(imported), "\(module)/\(file) imports \(imported)")
      }
    }
  }
}
