import Foundation
import GooseFSCore
import Testing

@testable import GooseFSShell

@Suite struct CopyCommandTests {
  static let big: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) }

  func cluster() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.addWorker(id: 1, host: "10.0.0.1")
    fs.state.withLock { $0.blockSize = 4096 }
    return fs
  }

  /// src/a.txt, src/sub/b.bin (3 blocks), src/sub/deeper/c (empty), src/empty/ (empty folder).
  func sourceTree(_ tree: LocalTree) throws {
    try tree.write("src/a.txt", Array("hello\n".utf8))
    try tree.write("src/sub/b.bin", Self.big)
    try tree.write("src/sub/deeper/c", [])
    try tree.makeDirectory("src/empty")
  }

  @Test func directoryRoundTripKeepsEveryByteAndFolder() async throws {
    let tree = try LocalTree()
    defer { tree.remove() }
    try sourceTree(tree)
    let fs = cluster()

    let up = try await ShellHarness.run(
      ["fs", "copyFromLocal", "--thread", "3", "--buffersize", "1000", tree.path("src"), "/dst"], fileSystem: fs)
    #expect(up.code == 0, "\(up.stdout)")
    #expect(Set(up.lines.dropLast()) == [
      "Copied file://\(tree.path("src/a.txt")) to /dst/a.txt",
      "Copied file://\(tree.path("src/sub/b.bin")) to /dst/sub/b.bin",
      "Copied file://\(tree.path("src/sub/deeper/c")) to /dst/sub/deeper/c",
    ])
    #expect(up.lines.last == "Copied file://\(tree.path("src")) to /dst")
    #expect(fs.contents(of: "/dst/sub/b.bin") == Self.big)
    #expect(fs.placement(of: "/dst/sub/b.bin") == [[1], [1], [1]])
    #expect(try await fs.getStatus("/dst/empty", syncIntervalMs: nil).isDirectory)

    let down = try await ShellHarness.run(["fs", "copyToLocal", "/dst", tree.path("out")], fileSystem: fs)
    #expect(down.code == 0, "\(down.stdout)")
    #expect(down.lines.first == "Create directory: file://\(tree.path("out"))")
    #expect(down.lines.contains("Copied /dst/sub/b.bin to file://\(tree.path("out/sub/b.bin"))"))
    #expect(down.lines.last == "Copied /dst to file://\(tree.path("out"))")
    #expect(tree.snapshot("out") == tree.snapshot("src"))
    #expect(tree.snapshot("out").count == 6)  // no temporary files left behind
  }

  @Test func writeTypeComesFromTheConfiguration() async throws {
    let tree = try LocalTree()
    defer { tree.remove() }
    try tree.write("f", [1, 2, 3])
    let fs = cluster()
    var result = try await ShellHarness.run(["fs", "copyFromLocal", tree.path("f"), "/default"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(fs.calls.contains("createFileStream /default writeType=ASYNC_THROUGH"))
    result = try await ShellHarness.run(
      ["fs", "copyFromLocal", "-Dgoosefs.user.file.writetype.default=CACHE_THROUGH", tree.path("f"), "/through"],
      fileSystem: fs)
    #expect(result.lines == ["Copied file://\(tree.path("f")) to /through"])
    #expect(fs.calls.contains("createFileStream /through writeType=CACHE_THROUGH"))
    #expect(try await fs.getStatus("/through", syncIntervalMs: nil).persistenceState == .persisted)
    result = try await ShellHarness.run(
      ["fs", "-Dgoosefs.user.file.writetype.default=MUST_CACHE", "copyFromLocal", tree.path("f"), "/cache"], fileSystem: fs)
    #expect(try await fs.getStatus("/cache", syncIntervalMs: nil).persistenceState == .notPersisted)
    result = try await ShellHarness.run(
      ["fs", "copyFromLocal", "-Dgoosefs.user.file.writetype.default=SOMETIMES", tree.path("f"), "/bad"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout.contains("goosefs.user.file.writetype.default"))
  }

  @Test func fileIntoExistingDirectoryAndOntoExistingFile() async throws {
    let tree = try LocalTree()
    defer { tree.remove() }
    try tree.write("f.txt", Array("x".utf8))
    let fs = cluster()
    fs.addDirectory("/dir")
    var result = try await ShellHarness.run(["fs", "copyFromLocal", tree.path("f.txt"), "/dir"], fileSystem: fs)
    #expect(result.lines == ["Copied file://\(tree.path("f.txt")) to /dir/f.txt"])
    result = try await ShellHarness.run(["fs", "copyFromLocal", tree.path("f.txt"), "/dir/f.txt"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout == "Path \"/dir/f.txt\" already exists.\n")
    result = try await ShellHarness.run(["fs", "copyFromLocal", tree.path("missing"), "/dir"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout == "Path \"file://\(tree.path("missing"))\" does not exist.\n")
    try tree.makeDirectory("folder")
    result = try await ShellHarness.run(["fs", "copyFromLocal", tree.path("folder"), "/dir/f.txt"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout.hasPrefix("The destination cannot be an existing file"))
  }

  @Test func aFailedFileIsCancelledReportedAndFailsTheCommand() async throws {
    let tree = try LocalTree()
    defer { tree.remove() }
    try tree.write("src/good", [1, 2, 3])
    try tree.write("src/bad", Self.big)
    let fs = cluster()
    fs.state.withLock { $0.failingWritePaths = ["/dst/bad"] }
    let result = try await ShellHarness.run(["fs", "copyFromLocal", "--buffersize", "1KB", tree.path("src"), "/dst"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.lines.contains("Copied file://\(tree.path("src/good")) to /dst/good"))
    #expect(result.lines.contains(
      "Failed to copy file://\(tree.path("src/bad")) to /dst/bad: Connection to worker lost while writing /dst/bad"))
    #expect(result.lines.last == "Failed to copy 1 of 2 files from file://\(tree.path("src")) to /dst")
    #expect(fs.calls.contains("cancel /dst/bad"))
    await #expect(throws: GooseFSError.pathDoesNotExist("/dst/bad")) { try await fs.getStatus("/dst/bad", syncIntervalMs: nil) }
  }

  @Test func copyToLocalOfAFile() async throws {
    let tree = try LocalTree()
    defer { tree.remove() }
    try tree.makeDirectory("into")
    let fs = cluster()
    fs.addFile("/a/report.csv", contents: Self.big)
    var result = try await ShellHarness.run(["fs", "copyToLocal", "/a/report.csv", tree.path("into")], fileSystem: fs)
    #expect(result.lines == ["Copied /a/report.csv to file://\(tree.path("into/report.csv"))"])
    #expect(tree.read("into/report.csv") == Self.big)
    result = try await ShellHarness.run(["fs", "copyToLocal", "/a/report.csv", tree.path("renamed.csv")], fileSystem: fs)
    #expect(tree.read("renamed.csv") == Self.big)
    result = try await ShellHarness.run(["fs", "copyToLocal", "/a/nothing", tree.path("x")], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout == "Path \"/a/nothing\" does not exist.\n")
    #expect(tree.read("x") == nil)
  }

  @Test func cpInsideGooseFS() async throws {
    let fs = cluster()
    fs.addFile("/src/one", contents: [1])
    fs.addFile("/src/deep/two", contents: Self.big)
    fs.addDirectory("/existing")
    var result = try await ShellHarness.run(["fs", "cp", "/src/one", "/copy"], fileSystem: fs)
    #expect(result.lines == ["Copied /src/one to /copy"])
    #expect(fs.contents(of: "/copy") == [1])
    result = try await ShellHarness.run(["fs", "cp", "/src", "/tree"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout == "/src is a directory, to copy it please use \"cp -R <src> <dst>\"\n")
    result = try await ShellHarness.run(["fs", "cp", "-R", "/src", "/existing"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines.first == "Created directory: /existing/src")
    #expect(result.lines.contains("Copied /src/deep/two to /existing/src/deep/two"))
    #expect(result.lines.last == "Copied /src to /existing/src")
    #expect(fs.contents(of: "/existing/src/deep/two") == Self.big)
    result = try await ShellHarness.run(["fs", "cp", "-R", "/src", "/src/inside"], fileSystem: fs)
    #expect(result.code == 255)
  }

  @Test func cpWithLocalSchemes() async throws {
    let tree = try LocalTree()
    defer { tree.remove() }
    try tree.write("in/x", [9, 9])
    let fs = cluster()
    var result = try await ShellHarness.run(["fs", "cp", "file://\(tree.path("in"))", "/up"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(fs.contents(of: "/up/x") == [9, 9])
    result = try await ShellHarness.run(["fs", "cp", "/up/x", "file://\(tree.path("down"))"], fileSystem: fs)
    #expect(result.lines == ["Copied /up/x to file://\(tree.path("down"))"])
    #expect(tree.read("down") == [9, 9])
    result = try await ShellHarness.run(["fs", "cp", "file:///a", "file:///b"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout == "Schemes must be either file or goosefs, and at most one file scheme is allowed.\n")
  }

  @Test func badCopyOptionsAreUsageErrors() async throws {
    let threads = try await ShellHarness.run(["fs", "copyFromLocal", "--thread", "0", "/a", "/b"], connect: false)
    #expect(threads.code == 255)
    #expect(threads.lines[0] == "Invalid value 0 for --thread: expected an integer ≥ 1")
    let buffer = try await ShellHarness.run(["fs", "copyToLocal", "--buffersize", "huge", "/a", "/b"], connect: false)
    #expect(buffer.code == 255)
    #expect(buffer.lines[1].hasPrefix("Usage: copyToLocal"))
  }
}
