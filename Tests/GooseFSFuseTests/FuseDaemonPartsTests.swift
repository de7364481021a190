import NIOCore
import GooseFSCore
import Testing

@testable import GooseFSFuse

#if canImport(Glibc)
  import Glibc
#endif

/// The daemon's bookkeeping without a kernel: node ids, the metadata cache, the command line.
@Suite struct FuseDaemonPartsTests {
  @Test func nodesFollowRenamesOfWholeTreesAndDieWithTheirLastLookup() {
    let table = FuseNodeTable(rootPath: "/")
    let dir = table.reference("/a")
    let file = table.reference("/a/f")
    #expect(table.reference("/a/f") == file)
    table.rename("/a", to: "/b")
    #expect(table.path(of: dir) == "/b" && table.path(of: file) == "/b/f")
    #expect(table.peek("/a/f") == nil && table.peek("/b/f") == file)
    table.forget(file, count: 1)
    #expect(table.path(of: file) == "/b/f")
    table.forget(file, count: 1)
    #expect(table.path(of: file) == nil && table.peek("/b/f") == nil)
    table.forget(FuseNodeTable.rootNode, count: 10)
    #expect(table.path(of: FuseNodeTable.rootNode) == "/")
  }

  @Test func aDetachedPathGetsANewNodeWhileTheOldOneKeepsItsPath() {
    let table = FuseNodeTable(rootPath: "/mnt")
    let old = table.reference("/mnt/x")
    table.detach("/mnt/x")
    let new = table.reference("/mnt/x")
    #expect(new != old && table.path(of: old) == "/mnt/x")
    #expect(table.childPath(of: FuseNodeTable.rootNode, name: "y") == "/mnt/y")
  }

  @Test func theMetadataCacheForgetsChangedPathsTreesAndExpiredEntries() async throws {
    let cache = MetadataCache(enabled: true, maxSize: 3, lifetime: .seconds(60))
    cache.put([FileInfo(name: "d", path: "/d", kind: .directory), FileInfo(name: "f", path: "/d/f")])
    #expect(cache.get("/d/f")?.name == "f")
    cache.invalidateTree("/d")
    #expect(cache.get("/d") == nil && cache.get("/d/f") == nil)
    cache.put((0..<5).map { FileInfo(name: "n\($0)", path: "/n\($0)") })
    #expect((0..<5).filter { cache.get("/n\($0)") != nil }.count <= 3)

    let short = MetadataCache(enabled: true, maxSize: 10, lifetime: .milliseconds(1))
    short.put(FileInfo(name: "f", path: "/f"))
    try await Task.sleep(for: .milliseconds(5))  // the lifetime itself is what is tested
    #expect(short.get("/f") == nil)
    #expect(!MetadataCache(enabled: false, maxSize: 10, lifetime: .seconds(1)).enabled)
  }

  @Test func theCommandLineTakesGooseFSAndFluidForms() throws {
    #expect(
      try FuseCommand.parse(["mount", "-o", "rw,direct_io", "-oallow_other", "/mnt/x"])
        == .mount(mountPoint: "/mnt/x", goosefsPath: "/", optionLists: ["rw,direct_io", "allow_other"], foreground: false))
    #expect(
      try FuseCommand.parse(["mount", "-n", "--fuse-opts=ro", "/m", "/data"])
        == .mount(mountPoint: "/m", goosefsPath: "/data", optionLists: ["ro"], foreground: true))
    #expect(try FuseCommand.parse(["umount", "-s", "/m"]) == .unmount(mountPoint: "/m"))
    #expect(try FuseCommand.parse(["stat"]) == .stat)
    #expect(throws: GooseFSError.self) { try FuseCommand.parse(["mount"]) }
    #expect(throws: GooseFSError.self) { try FuseCommand.parse(["mount", "-x", "/m"]) }
    #expect(throws: GooseFSError.self) { try FuseCommand.parse(["frobnicate"]) }
  }

  @Test func mountinfoEscapesAreDecoded() {
    #expect(FuseMountTable.unescape("/mnt/with\\040space") == "/mnt/with space")
    #expect(FuseMountTable.unescape("/plain") == "/plain")
  }

  @Test func errnoMappingCoversTheDaemonsOwnFailures() {
    #expect(FuseErrno.code(for: FuseFailure(ENAMETOOLONG)) == ENAMETOOLONG)
    #expect(FuseErrno.code(for: GooseFSError(.directoryNotEmpty, "x")) == ENOTEMPTY)
    #expect(FuseErrno.code(for: GooseFSError(.unavailable, "x")) == EIO)
  }
}

@Suite struct ReadWindowTests {
  static func bytes(_ range: Range<Int>) -> ByteBuffer {
    ByteBuffer(bytes: range.map { UInt8(truncatingIfNeeded: $0) })
  }

  @Test func requestsJustBehindTheStreamAreServedFromTheWindow() {
    var window = ReadWindow(capacity: 8)
    window.append(Self.bytes(0..<4))
    window.append(Self.bytes(4..<8))
    #expect(window.end == 8 && window.start == 0)
    #expect(window.bytes(at: 4, count: 4) == Self.bytes(4..<8))
    #expect(window.bytes(at: 2, count: 4) == Self.bytes(2..<6))
    #expect(window.bytes(at: 6, count: 4) == nil)
    window.append(Self.bytes(8..<12))
    #expect(window.start == 4 && window.bytes(at: 0, count: 2) == nil)
    window.reset(at: 100)
    #expect(window.start == 100 && window.end == 100 && window.bytes(at: 100, count: 1) == nil)
  }
}
