import Foundation
import GooseFSCore
import GooseFSUFS
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `UFSBlockingFileCopy` of the local adapter: a whole file from descriptors in one call (a
/// worker persisting cached blocks).
@Suite("LocalUnderFileSystem file copy")
struct LocalFileCopyTests {
  typealias Support = UFSTestSupport
  let fixture = UFSConformanceFixture.local

  /// Source files outside the store, opened read-only; closed after `body`.
  private func withSources(_ contents: [String], _ body: ([UFSCopySource]) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("copy-sources-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var fds: [Int32] = []
    defer { for fd in fds { close(fd) } }
    for (index, content) in contents.enumerated() {
      let path = folder.appendingPathComponent("\(index)").path
      try Data(content.utf8).write(to: URL(fileURLWithPath: path))
      let fd = open(path, O_RDONLY)
      try #require(fd >= 0)
      fds.append(fd)
    }
    try body(zip(fds, contents).map { UFSCopySource(fd: $0, length: Int64($1.utf8.count)) })
  }

  @Test func sourcesBecomeOneFileWithItsModeAndStatus() async throws {
    try await fixture.withScratch { s in
      let copier = try #require(s.ufs as? any UFSBlockingFileCopy)
      let big = String(repeating: "x", count: 3 << 20)
      try withSources(["first block,", big, "last"]) { sources in
        let status = try copier.createFile(try s.location("a/b/file"), mode: 0o640, createParents: true, copying: sources)
        #expect(status.length == Int64(12 + big.utf8.count + 4))
        #expect(status.mode & 0o7777 == 0o640)
      }
      let copied = try String(contentsOfFile: s.root.path + "/a/b/file", encoding: .utf8)
      #expect(copied == "first block," + big + "last")
      let fingerprint = try await s.ufs.status(try s.location("a/b/file"))?.fingerprint
      #expect(fingerprint?.isEmpty == false)
      // Nothing but the file in its folder: the temporary was renamed into place.
      #expect(try FileManager.default.contentsOfDirectory(atPath: s.root.path + "/a/b") == ["file"])
    }
  }

  @Test func aSourceShorterThanRecordedFailsAndLeavesNothing() async throws {
    try await fixture.withScratch { s in
      let copier = try #require(s.ufs as? any UFSBlockingFileCopy)
      try withSources(["only ten b"]) { sources in
        let short = [UFSCopySource(fd: sources[0].fd, length: 20)]
        let error = #expect(throws: GooseFSError.self) {
          try copier.createFile(try s.location("short"), mode: 0o644, createParents: false, copying: short)
        }
        #expect(error?.code == .corrupted)
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: s.root.path).isEmpty)
    }
  }

  @Test func aMissingParentWithoutCreateParentsIsNotFound() async throws {
    try await fixture.withScratch { s in
      let copier = try #require(s.ufs as? any UFSBlockingFileCopy)
      try withSources(["data"]) { sources in
        let error = #expect(throws: GooseFSError.self) {
          try copier.createFile(try s.location("no/such/file"), mode: 0o644, createParents: false, copying: sources)
        }
        #expect(error?.code == .notFound)
      }
    }
  }
}
