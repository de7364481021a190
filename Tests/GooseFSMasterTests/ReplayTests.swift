import Foundation
import GooseFSCore
import NIOPosix
import Testing

@testable import GooseFSMaster

/// Journal replay must rebuild exactly the live state, for any sequence of operations.
@Suite struct ReplayTests {
  /// A tiny deterministic generator so a failing seed can be replayed.
  struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// The simple model: the set of paths that exist, and which are directories.
  struct Model {
    var directories: Set<String> = ["/"]
    var files: Set<String> = []
    var all: Set<String> { directories.union(files) }
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6])
  func randomOperationsReplayToTheLiveState(seed: UInt64) async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    var generator = SeededGenerator(state: seed)
    var model = Model()
    let names = ["a", "b", "c", "d"]
    // A small checkpoint period makes checkpoints happen in the middle of the sequence.
    let (master, namespace) = try await fixture.open(checkpointPeriod: 37)
    let caller = fixture.superuser
    for step in 0..<300 {
      let parent = model.directories.sorted().randomElement(using: &generator)!
      let path = NamespacePath.join(parent, names.randomElement(using: &generator)!)
      let exists = model.all.contains(path)
      switch Int.random(in: 0..<10, using: &generator) {
      case 0...2:
        let persist = Bool.random(using: &generator)
        let result = try? await master.createDirectory(
          CreateDirectoryRequest(path: path, recursive: false, allowExists: false, mode: nil, persist: persist), caller: caller)
        #expect((result != nil) == !exists, "step \(step): mkdir \(path)")
        if result != nil { model.directories.insert(path) }
      case 3...4:
        let created = try? await master.createFile(
          CreateFileRequest(
            path: path, recursive: false, mode: nil, blockSizeBytes: 0, ttlMs: nil, ttlAction: .delete,
            replicationMin: 0, replicationMax: -1, persist: Bool.random(using: &generator), overwrite: false),
          caller: caller)
        #expect((created != nil) == !exists, "step \(step): create \(path)")
        if created != nil {
          model.files.insert(path)
          _ = try await master.completeFile(path, length: 0, ufsFingerprint: "", caller: caller)
        }
      case 5...6:
        guard let victim = model.all.subtracting(["/"]).sorted().randomElement(using: &generator) else { continue }
        try await master.remove(victim, recursive: true, goosefsOnly: false, caller: caller)
        model.directories = model.directories.filter { !NamespacePath.isSelfOrDescendant($0, of: victim) }
        model.files = model.files.filter { !NamespacePath.isSelfOrDescendant($0, of: victim) }
      case 7...8:
        guard let source = model.all.subtracting(["/"]).sorted().randomElement(using: &generator) else { continue }
        let ok = (try? await master.rename(source, to: path, caller: caller)) != nil
        let expected = !exists && !NamespacePath.isSelfOrDescendant(path, of: source)
        #expect(ok == expected, "step \(step): rename \(source) → \(path)")
        if ok {
          func moved(_ p: String) -> String {
            NamespacePath.isSelfOrDescendant(p, of: source) ? path + p.dropFirst(source.count) : p
          }
          model.directories = Set(model.directories.map(moved))
          model.files = Set(model.files.map(moved))
        }
      default:
        guard let target = model.all.sorted().randomElement(using: &generator) else { continue }
        try await master.setAttribute(
          SetAttributeRequest(
            path: target, recursive: Bool.random(using: &generator), mode: UInt32.random(in: 0...0o777, using: &generator),
            pinned: Bool.random(using: &generator), ttlMs: Int64.random(in: -1...100_000, using: &generator),
            lastModificationTimeMs: Bool.random(using: &generator) ? Int64.random(in: 0...2_000_000_000_000, using: &generator) : nil),
          caller: caller)
      }
    }
    // The live namespace matches the model…
    let livePaths = namespace.read { state in Set(state.inodes.keys.map { state.path(of: $0) }) }
    #expect(livePaths == model.all)
    let live = namespace.read { $0 }
    namespace.close()
    // …and a fresh replay of the journal (checkpoint + tail) equals the live state exactly.
    let (_, reopened) = try await fixture.open()
    let replayed = reopened.read { $0 }
    reopened.close()
    #expect(replayed == live)
  }

  @Test func checkpointRoundTripsTheState() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    try fixture.write("x/y/z.txt", "hello")
    let other = fixture.root.appendingPathComponent("other")
    try FileManager.default.createDirectory(at: other.appendingPathComponent("inside"), withIntermediateDirectories: true)
    let (master, namespace) = try await fixture.open()
    _ = try await master.syncTree("/", intervalMs: -1)
    try await master.mount("/m", ufsURI: other.path, readOnly: true, shared: false, properties: ["k": "v"], caller: fixture.superuser)
    _ = try await master.syncTree("/m", intervalMs: -1)
    #expect(namespace.read { $0.inode(at: "/m/inside") } != nil)
    let live = namespace.read { $0 }
    let restored = try NamespaceState(checkpoint: live.checkpoint())
    #expect(restored == live)
    namespace.close()
  }

  @Test func idsNeverRepeatAcrossRestarts() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    let (master, namespace) = try await fixture.open(checkpointPeriod: 1)
    let created = try await master.createDirectory(
      CreateDirectoryRequest(path: "/gone", recursive: false, allowExists: false, mode: nil, persist: false), caller: fixture.superuser)
    try await master.remove("/gone", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    try await NIOThreadPool.singleton.runIfActive { try namespace.writeCheckpoint() }
    namespace.close()
    let (reopenedMaster, reopened) = try await fixture.open()
    let next = try await reopenedMaster.createDirectory(
      CreateDirectoryRequest(path: "/new", recursive: false, allowExists: false, mode: nil, persist: false), caller: fixture.superuser)
    #expect(next.fileID > created.fileID)
    reopened.close()
  }
}
