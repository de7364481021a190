import GooseFSCore
import GooseFSUFS
import NIOCore
import Testing

/// Behaviour every `UnderFileSystem` must share, run against each fixture in
/// `UFSConformanceFixture.all`. Each test gets its own scratch root.
@Suite("UnderFileSystem conformance")
struct UFSConformanceTests {
  typealias Support = UFSTestSupport

  @Test(arguments: UFSConformanceFixture.all)
  func statusOfFileDirectoryAndMissing(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      try await Support.writeFile(s.ufs, s.location("file.txt"), "hello")
      #expect(try await s.ufs.createDirectory(s.location("dir"), mode: 0o755, createParents: false))

      let file = try #require(try await s.ufs.status(s.location("file.txt")))
      #expect(file.name == "file.txt")
      #expect(!file.isDirectory)
      #expect(file.length == 5)
      #expect(file.lastModified > 0)

      let directory = try #require(try await s.ufs.status(s.location("dir")))
      #expect(directory.name == "dir")
      #expect(directory.isDirectory)

      #expect(try await s.ufs.status(s.location("missing")) == nil)
      #expect(try await s.ufs.status(s.location("file.txt/below")) == nil)
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func listChildren(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      try await Support.writeFile(s.ufs, s.location("b.bin"), "12345678")
      try await Support.writeFile(s.ufs, s.location("a.txt"), "abc")
      _ = try await s.ufs.createDirectory(s.location("c"), mode: 0o755, createParents: false)
      try await Support.writeFile(s.ufs, s.location("c/nested"), "not listed at top level")

      let children = try #require(try await s.ufs.list(s.root.description))
      #expect(children.map(\.name) == ["a.txt", "b.bin", "c"])
      #expect(children.map(\.isDirectory) == [false, false, true])
      #expect(children[0].length == 3)
      #expect(children[1].length == 8)

      #expect(try await s.ufs.list(s.location("missing")) == nil)
      #expect(try await s.ufs.list(s.location("a.txt")) == nil)
      #expect(try await s.ufs.list(s.location("c"))?.map(\.name) == ["nested"])
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func createDirectoryWithAndWithoutParents(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      await expectGooseFSError(.notFound) {
        try await s.ufs.createDirectory(s.location("x/y/z"), mode: 0o755, createParents: false)
      }
      #expect(try await s.ufs.status(s.location("x")) == nil)

      #expect(try await s.ufs.createDirectory(s.location("x/y/z"), mode: 0o755, createParents: true))
      #expect(try await s.ufs.status(s.location("x/y"))?.isDirectory == true)
      #expect(try await s.ufs.status(s.location("x/y/z"))?.isDirectory == true)

      #expect(try await s.ufs.createDirectory(s.location("x/single"), mode: 0o755, createParents: false))
      // Already there: not an error, just nothing created.
      #expect(try await s.ufs.createDirectory(s.location("x/single"), mode: 0o755, createParents: false) == false)

      try await Support.writeFile(s.ufs, s.location("file"), "f")
      await expectGooseFSError(.alreadyExists) {
        try await s.ufs.createDirectory(s.location("file"), mode: 0o755, createParents: true)
      }
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func deleteFile(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      try await Support.writeFile(s.ufs, s.location("doomed"), "bye")
      #expect(try await s.ufs.deleteFile(s.location("doomed")))
      #expect(try await s.ufs.status(s.location("doomed")) == nil)
      #expect(try await s.ufs.deleteFile(s.location("doomed")) == false)

      _ = try await s.ufs.createDirectory(s.location("dir"), mode: 0o755, createParents: false)
      await expectGooseFSError(.failedPrecondition) { try await s.ufs.deleteFile(s.location("dir")) }
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func deleteDirectory(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      try await Support.writeFile(s.ufs, s.location("tree/a/b/leaf"), "leaf", createParents: true)
      try await Support.writeFile(s.ufs, s.location("tree/top"), "top")

      let error = await expectGooseFSError(.directoryNotEmpty) {
        try await s.ufs.deleteDirectory(s.location("tree"), recursive: false)
      }
      #expect(error?.message.contains("tree") == true)
      #expect(try await s.ufs.status(s.location("tree/a/b/leaf")) != nil)

      #expect(try await s.ufs.deleteDirectory(s.location("tree"), recursive: true))
      #expect(try await s.ufs.status(s.location("tree")) == nil)
      #expect(try await s.ufs.deleteDirectory(s.location("tree"), recursive: true) == false)

      _ = try await s.ufs.createDirectory(s.location("empty"), mode: 0o755, createParents: false)
      #expect(try await s.ufs.deleteDirectory(s.location("empty"), recursive: false))

      try await Support.writeFile(s.ufs, s.location("plain"), "p")
      await expectGooseFSError(.failedPrecondition) {
        try await s.ufs.deleteDirectory(s.location("plain"), recursive: true)
      }
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func renameFileAndDirectory(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      try await Support.writeFile(s.ufs, s.location("old.txt"), "content")
      #expect(try await s.ufs.rename(s.location("old.txt"), to: s.location("new.txt")))
      #expect(try await s.ufs.status(s.location("old.txt")) == nil)
      #expect(try await Support.readFile(s.ufs, s.location("new.txt")) == "content")

      try await Support.writeFile(s.ufs, s.location("d1/sub/f"), "inside", createParents: true)
      #expect(try await s.ufs.rename(s.location("d1"), to: s.location("d2")))
      #expect(try await s.ufs.status(s.location("d1")) == nil)
      #expect(try await Support.readFile(s.ufs, s.location("d2/sub/f")) == "inside")

      // Missing source: false, nothing thrown.
      #expect(try await s.ufs.rename(s.location("ghost"), to: s.location("other")) == false)

      // Missing destination parent: a clean error and the source untouched.
      await expectGooseFSError(.notFound) {
        try await s.ufs.rename(s.location("new.txt"), to: s.location("no/such/parent/x"))
      }
      #expect(try await s.ufs.status(s.location("new.txt"))?.length == 7)

      // Never silently replaces.
      try await Support.writeFile(s.ufs, s.location("taken"), "t")
      await expectGooseFSError(.alreadyExists) {
        try await s.ufs.rename(s.location("new.txt"), to: s.location("taken"))
      }
      #expect(try await Support.readFile(s.ufs, s.location("taken")) == "t")
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func positionedReads(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      let path = try s.location("digits")
      let stream = try await s.ufs.create(path, mode: 0o644, createParents: false)
      try await stream.write(Support.bytes("01234"))
      try await stream.write(Support.bytes("56789"))
      try await stream.close()

      let input = try await s.ufs.openRead(path)
      #expect(try await Support.readString(input, offset: 0, length: 3) == "012")
      #expect(try await Support.readString(input, offset: 4, length: 4) == "4567")
      #expect(try await Support.readString(input, offset: 7, length: 100) == "789")
      #expect(try await Support.readString(input, offset: 10, length: 5) == "")
      #expect(try await Support.readString(input, offset: 50, length: 5) == "")
      #expect(try await Support.readString(input, offset: 2, length: 0) == "")
      await expectGooseFSError(.invalidArgument) { try await input.read(offset: -1, length: 1) }
      await input.close()
      await expectGooseFSError(.failedPrecondition) { try await input.read(offset: 0, length: 1) }

      await expectGooseFSError(.notFound) { try await s.ufs.openRead(s.location("missing")) }
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func fileIsInvisibleUntilCloseAndGoneAfterAbort(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      let path = try s.location("pending")
      let stream = try await s.ufs.create(path, mode: 0o644, createParents: false)
      try await stream.write(Support.bytes("partial"))
      #expect(try await s.ufs.status(path) == nil)
      #expect(try await s.ufs.list(s.root.description)?.map(\.name) == [])
      try await stream.close()
      #expect(try await s.ufs.status(path)?.length == 7)
      #expect(try await s.ufs.list(s.root.description)?.map(\.name) == ["pending"])

      let aborted = try await s.ufs.create(s.location("aborted"), mode: 0o644, createParents: false)
      try await aborted.write(Support.bytes("never"))
      await aborted.abort()
      await aborted.abort()  // idempotent
      await expectGooseFSError(.failedPrecondition) { try await aborted.write(Support.bytes("late")) }
      #expect(try await s.ufs.status(s.location("aborted")) == nil)
      #expect(try await s.ufs.list(s.root.description)?.map(\.name) == ["pending"])
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func createReplacesAndReportsMissingParent(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      await expectGooseFSError(.notFound) {
        try await s.ufs.create(s.location("absent/file"), mode: 0o644, createParents: false)
      }
      try await Support.writeFile(s.ufs, s.location("made/by/create"), "one", createParents: true)
      try await Support.writeFile(s.ufs, s.location("made/by/create"), "second")
      #expect(try await Support.readFile(s.ufs, s.location("made/by/create")) == "second")
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func fingerprintFollowsContent(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      let path = try s.location("tracked")
      try await Support.writeFile(s.ufs, path, "version one")
      let first = try #require(try await s.ufs.status(path))
      #expect(try await s.ufs.status(path)?.fingerprint == first.fingerprint)

      try await Support.writeFile(s.ufs, path, "version two, longer")
      let second = try #require(try await s.ufs.status(path))
      #expect(second.fingerprint != first.fingerprint)
      #expect(second.fingerprint.hasPrefix("file|"))

      _ = try await s.ufs.createDirectory(s.location("d"), mode: 0o755, createParents: false)
      #expect(try await s.ufs.status(s.location("d"))?.fingerprint.hasPrefix("directory") == true)
    }
  }

  @Test(arguments: UFSConformanceFixture.all.filter { $0.capabilities.contains(.permissions) })
  func setModeAndCreateModes(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      let path = try s.location("modal")
      try await Support.writeFile(s.ufs, path, "m")
      #expect(try await s.ufs.status(path)?.mode == 0o644)
      let before = try #require(try await s.ufs.status(path)).fingerprint

      try await s.ufs.setMode(path, 0o600)
      let after = try #require(try await s.ufs.status(path))
      #expect(after.mode == 0o600)
      #expect(after.fingerprint != before)

      // Modes are exact, not filtered by the process umask.
      _ = try await s.ufs.createDirectory(s.location("open"), mode: 0o777, createParents: false)
      #expect(try await s.ufs.status(s.location("open"))?.mode == 0o777)

      await expectGooseFSError(.notFound) { try await s.ufs.setMode(s.location("missing"), 0o600) }
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func largeDirectoryListsEveryEntry(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      let directory = try s.root.joining("big")
      _ = try await s.ufs.createDirectory(directory.description, mode: 0o755, createParents: false)
      let count = 20_000
      try await fixture.populate(s, directory, count)

      let children = try #require(try await s.ufs.list(directory.description))
      #expect(children.count == count)
      let byName = Dictionary(uniqueKeysWithValues: children.map { ($0.name, $0) })
      for index in stride(from: 0, to: count, by: 997) {
        let child = try #require(byName["f\(index)"])
        #expect(!child.isDirectory)
        #expect(child.length == Int64(index % 7))
      }
      #expect(children.map(\.name) == children.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
  }

  @Test(arguments: UFSConformanceFixture.all)
  func pathsOutsideTheMountAreRejected(_ fixture: UFSConformanceFixture) async throws {
    try await fixture.withScratch { s in
      let outside = try #require(s.root.parent).description
      await expectGooseFSError(.invalidArgument) { try await s.ufs.status(outside) }
      await expectGooseFSError(.invalidArgument) { try await s.ufs.status("") }
    }
  }
}
