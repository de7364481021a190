import Foundation
import GooseFSCore
import GooseFSUFS
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Behaviour specific to the local adapter (symlinks, ownership, capacity).
@Suite("LocalUnderFileSystem")
struct LocalUnderFileSystemTests {
  typealias Support = UFSTestSupport
  let fixture = UFSConformanceFixture.local

  @Test func symlinksAreFollowedAndDanglingOnesSkipped() async throws {
    try await fixture.withScratch { s in
      try await Support.writeFile(s.ufs, s.location("target"), "twelve bytes")
      _ = try await s.ufs.createDirectory(s.location("dir"), mode: 0o755, createParents: false)
      try FileManager.default.createSymbolicLink(atPath: s.root.path + "/to-file", withDestinationPath: "target")
      try FileManager.default.createSymbolicLink(atPath: s.root.path + "/to-dir", withDestinationPath: "dir")
      try FileManager.default.createSymbolicLink(atPath: s.root.path + "/dangling", withDestinationPath: "nowhere")

      let children = try #require(try await s.ufs.list(s.root.description))
      #expect(children.map(\.name) == ["dir", "target", "to-dir", "to-file"])
      let link = try #require(children.first { $0.name == "to-file" })
      #expect(!link.isDirectory && link.length == 12)
      #expect(children.first { $0.name == "to-dir" }?.isDirectory == true)
      #expect(try await s.ufs.status(s.location("dangling")) == nil)
      #expect(try await Support.readFile(s.ufs, s.location("to-file")) == "twelve bytes")
    }
  }

  @Test func recursiveDeleteRemovesLinksNotTheirTargets() async throws {
    try await fixture.withScratch { s in
      try await Support.writeFile(s.ufs, s.location("keep/precious"), "keep me", createParents: true)
      _ = try await s.ufs.createDirectory(s.location("tree/sub"), mode: 0o755, createParents: true)
      try FileManager.default.createSymbolicLink(
        atPath: s.root.path + "/tree/sub/link", withDestinationPath: s.root.path + "/keep")
      try FileManager.default.createSymbolicLink(atPath: s.root.path + "/top-link", withDestinationPath: "keep")

      #expect(try await s.ufs.deleteDirectory(s.location("tree"), recursive: true))
      #expect(try await s.ufs.deleteDirectory(s.location("top-link"), recursive: true))
      #expect(try await Support.readFile(s.ufs, s.location("keep/precious")) == "keep me")
      #expect(try await s.ufs.list(s.root.description)?.map(\.name) == ["keep"])
    }
  }

  @Test func setOwnerByName() async throws {
    try await fixture.withScratch { s in
      let path = try s.location("owned")
      try await Support.writeFile(s.ufs, path, "o")
      let current = try #require(try await s.ufs.status(path))
      try await s.ufs.setOwner(path, owner: current.owner, group: current.group)
      try await s.ufs.setOwner(path, owner: nil, group: nil)
      #expect(try await s.ufs.status(path)?.owner == current.owner)

      let error = await expectGooseFSError(.invalidArgument) {
        try await s.ufs.setOwner(path, owner: "no-such-user-goosefs", group: nil)
      }
      #expect(error?.message.contains("no-such-user-goosefs") == true)
      await expectGooseFSError(.invalidArgument) {
        try await s.ufs.setOwner(path, owner: nil, group: "no-such-group-goosefs")
      }
    }
  }

  @Test func capacityComesFromTheFileSystem() async throws {
    try await fixture.withScratch { s in
      let (total, used) = try await s.ufs.capacity()
      #expect(total > 0)
      #expect(used >= 0 && used <= total)
    }
  }

  @Test func temporaryFilesOfOpenStreamsStayOutOfListings() async throws {
    try await fixture.withScratch { s in
      let stream = try await s.ufs.create(s.location("in-flight"), mode: 0o644, createParents: false)
      try await stream.write(Support.bytes("data"))
      // The temporary exists on disk but no listing shows it.
      #expect(try FileManager.default.contentsOfDirectory(atPath: s.root.path).count == 1)
      #expect(try await s.ufs.list(s.root.description)?.isEmpty == true)
      await stream.abort()
      #expect(try FileManager.default.contentsOfDirectory(atPath: s.root.path).isEmpty)
    }
  }

  @Test(.enabled(if: getuid() != 0, "root bypasses permission checks"))
  func permissionErrorsNameThePath() async throws {
    try await fixture.withScratch { s in
      _ = try await s.ufs.createDirectory(s.location("locked"), mode: 0o000, createParents: false)
      let error = await expectGooseFSError(.permissionDenied) { try await s.ufs.list(s.location("locked")) }
      #expect(error?.message.contains("locked") == true)
      try await s.ufs.setMode(s.location("locked"), 0o755)
    }
  }

  @Test func nonLocalRootsAreRejected() throws {
    #expect(throws: GooseFSError.self) { try LocalUnderFileSystem(uri: UFSURI("s3://bucket/")) }
  }
}
