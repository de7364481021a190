import Foundation
import GooseFSCore
import Testing

@testable import GooseFSMaster

/// Namespace rules checked in-process against a real journal and a real local under store.
@Suite struct NamespaceBehaviourTests {
  let alice = CallerIdentity(user: "alice", groups: ["staff"])

  @Test func syncKeepsUnpersistedPathsAndDropsVanishedPersistedOnes() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    try fixture.write("d/ufs-file", "1")
    let (master, namespace) = try await fixture.open()
    defer { namespace.close() }
    _ = try await master.createDirectory(
      CreateDirectoryRequest(path: "/d/cache-only", recursive: false, allowExists: false, mode: nil, persist: false),
      caller: fixture.superuser)
    try FileManager.default.removeItem(at: fixture.ufsRoot.appendingPathComponent("d/ufs-file"))
    try await master.syncDirectory("/d", intervalMs: 0)
    let names = namespace.read { state in state.childRecords(of: state.inode(at: "/d")!.id).map(\.name) }
    #expect(names == ["cache-only"])
  }

  @Test func changedContentGetsNewBlockIDsButChmodDoesNot() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    try fixture.write("f.txt", "one")
    let (master, namespace) = try await fixture.open()
    defer { namespace.close() }
    let first = try await master.getStatus("/f.txt", syncIntervalMs: nil, caller: fixture.superuser)
    let answered = try await master.setAttribute(SetAttributeRequest(path: "/f.txt", recursive: false, mode: 0o600), caller: fixture.superuser)
    let afterChmod = try await master.getStatus("/f.txt", syncIntervalMs: 0, caller: fixture.superuser)
    // The status a change answers with (a FUSE setattr replies with it) is the one getStatus shows.
    #expect(answered?.mode == 0o600 && answered?.blockIDs == first.blockIDs && answered?.path == "/f.txt")
    #expect(afterChmod.blockIDs == first.blockIDs)
    #expect(afterChmod.mode == 0o600)
    try fixture.write("f.txt", "two and more")
    let afterWrite = try await master.getStatus("/f.txt", syncIntervalMs: 0, caller: fixture.superuser)
    #expect(afterWrite.length == 12)
    #expect(afterWrite.blockIDs != first.blockIDs)
  }

  @Test func permissionChecksFollowModeOwnerAndGroup() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    let (master, namespace) = try await fixture.open()
    defer { namespace.close() }
    _ = try await master.createDirectory(
      CreateDirectoryRequest(path: "/shared", recursive: false, allowExists: false, mode: 0o775, persist: false),
      caller: fixture.superuser)
    // New directories get 0775 & ~umask(022); chmod sets the group-writable mode exactly.
    try await master.setAttribute(
      SetAttributeRequest(path: "/shared", recursive: false, mode: 0o775, group: "staff"), caller: fixture.superuser)
    // Group write lets a member create; others may not; only superusers chown; owners chmod.
    _ = try await master.createDirectory(
      CreateDirectoryRequest(path: "/shared/a", recursive: false, allowExists: false, mode: nil, persist: false), caller: alice)
    let bob = CallerIdentity(user: "bob", groups: ["other"])
    await #expect(throws: GooseFSError.self) {
      _ = try await master.createDirectory(
        CreateDirectoryRequest(path: "/shared/b", recursive: false, allowExists: false, mode: nil, persist: false), caller: bob)
    }
    await #expect(throws: GooseFSError.self) {
      try await master.setAttribute(SetAttributeRequest(path: "/shared/a", recursive: false, owner: "bob"), caller: alice)
    }
    try await master.setAttribute(SetAttributeRequest(path: "/shared/a", recursive: false, mode: 0o700), caller: alice)
    await #expect(throws: GooseFSError.self) {
      try await master.setAttribute(SetAttributeRequest(path: "/shared/a", recursive: false, mode: 0o777), caller: bob)
    }
    await #expect(throws: GooseFSError.self) {
      _ = try await master.getStatus("/shared/a/x", syncIntervalMs: nil, caller: bob)
    }
  }

  /// utimens through the mount: owners set any time, others need write permission; the time is
  /// the namespace's (the under store's file keeps its own).
  @Test func modificationTimesAreSetByOwnersAndWriters() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    try fixture.write("t.txt", "data")
    let (master, namespace) = try await fixture.open()
    defer { namespace.close() }
    let ufsFile = fixture.ufsRoot.appendingPathComponent("t.txt").path
    let ufsTime = try FileManager.default.attributesOfItem(atPath: ufsFile)[.modificationDate] as? Date
    try await master.setAttribute(
      SetAttributeRequest(path: "/t.txt", recursive: false, owner: "alice", group: "staff"), caller: fixture.superuser)
    try await master.setAttribute(SetAttributeRequest(path: "/t.txt", recursive: false, mode: 0o644), caller: alice)
    try await master.setAttribute(
      SetAttributeRequest(path: "/t.txt", recursive: false, lastModificationTimeMs: 981_173_106_789), caller: alice)
    #expect(try await master.getStatus("/t.txt", syncIntervalMs: nil, caller: alice).lastModificationTimeMs == 981_173_106_789)
    let bob = CallerIdentity(user: "bob", groups: ["other"])
    await #expect(throws: GooseFSError.self) {
      try await master.setAttribute(
        SetAttributeRequest(path: "/t.txt", recursive: false, lastModificationTimeMs: 1), caller: bob)
    }
    try await master.setAttribute(SetAttributeRequest(path: "/t.txt", recursive: false, mode: 0o666), caller: alice)
    try await master.setAttribute(
      SetAttributeRequest(path: "/t.txt", recursive: false, lastModificationTimeMs: 1_234_567_890_123), caller: bob)
    #expect(try await master.getStatus("/t.txt", syncIntervalMs: nil, caller: bob).lastModificationTimeMs == 1_234_567_890_123)
    let ufsTimeAfter = try FileManager.default.attributesOfItem(atPath: ufsFile)[.modificationDate] as? Date
    #expect(ufsTimeAfter == ufsTime)
  }

  @Test func permissionsCanBeSwitchedOff() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    let (master, namespace) = try await fixture.open(permissions: false)
    defer { namespace.close() }
    _ = try await master.createDirectory(
      CreateDirectoryRequest(path: "/closed", recursive: false, allowExists: false, mode: 0o700, persist: false),
      caller: fixture.superuser)
    _ = try await master.createDirectory(
      CreateDirectoryRequest(path: "/closed/inside", recursive: false, allowExists: false, mode: nil, persist: false), caller: alice)
  }

  @Test func nestedMountsResolveAndUnmountKeepsTheUnderStore() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    let other = fixture.root.appendingPathComponent("bucket")
    try FileManager.default.createDirectory(at: other.appendingPathComponent("deep"), withIntermediateDirectories: true)
    try Data("x".utf8).write(to: other.appendingPathComponent("deep/obj"))
    let (master, namespace) = try await fixture.open()
    defer { namespace.close() }
    try await master.mount("/mnt", ufsURI: other.path, readOnly: true, shared: false, properties: [:], caller: fixture.superuser)
    let info = try await master.getStatus("/mnt/deep/obj", syncIntervalMs: nil, caller: fixture.superuser)
    #expect(info.ufsPath == other.appendingPathComponent("deep/obj").path)
    await #expect(throws: GooseFSError.self) {
      try await master.remove("/mnt/deep/obj", recursive: false, goosefsOnly: false, caller: fixture.superuser)
    }
    await #expect(throws: GooseFSError.self) {
      try await master.mount("/again", ufsURI: other.appendingPathComponent("deep").path, readOnly: false, shared: false, properties: [:], caller: fixture.superuser)
    }
    try await master.unmount("/mnt", caller: fixture.superuser)
    #expect(namespace.read { $0.inode(at: "/mnt") } == nil)
    #expect(FileManager.default.fileExists(atPath: other.appendingPathComponent("deep/obj").path))
  }

  @Test func ttlFreeClearsTheTTLAndDeleteRemoves() async throws {
    let fixture = try MasterFixture()
    defer { fixture.cleanUp() }
    try fixture.write("keep/a", "a")
    try fixture.write("drop/b", "b")
    let (master, namespace) = try await fixture.open()
    defer { namespace.close() }
    try await master.setAttribute(SetAttributeRequest(path: "/keep", recursive: false, ttlMs: 0, ttlAction: .free), caller: fixture.superuser)
    try await master.setAttribute(SetAttributeRequest(path: "/drop", recursive: false, ttlMs: 0, ttlAction: .delete), caller: fixture.superuser)
    let handled = await master.runTTLCheck(as: fixture.superuser)
    #expect(handled == ["/drop", "/keep"])
    #expect(namespace.read { $0.inode(at: "/keep")?.ttlMs } == -1)
    #expect(namespace.read { $0.inode(at: "/drop") } == nil)
    #expect(!fixture.ufsExists("drop"))
    #expect(fixture.ufsExists("keep/a"))
  }
}
