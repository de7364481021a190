import Foundation

#if canImport(Glibc)
  import Glibc
#endif
import GooseFSCore
import GooseFSUFS
import NIOCore

/// One under file system to run the conformance suite against. An adapter joins the suite by
/// adding a fixture to `UFSConformanceFixture.all` (the object-store one runs against a local
/// moto_server, see `ObjectStore/S3ConformanceFixture.swift`).
struct UFSConformanceFixture: Sendable, CustomStringConvertible {
  /// Something the store may lack; tests of it are skipped for fixtures without it.
  enum Capability: Sendable {
    case permissions
  }

  struct Scratch: Sendable {
    let ufs: any UnderFileSystem
    /// A fresh, empty directory for one test.
    let root: UFSURI

    func location(_ relative: String) throws -> String {
      try root.joining(relative).description
    }
  }

  let name: String
  let capabilities: Set<Capability>
  /// Makes an adapter and a fresh scratch root, and returns a cleanup for both.
  let makeScratch: @Sendable () async throws -> (scratch: Scratch, cleanup: @Sendable () async -> Void)
  /// Creates `count` small files `f<i>` of `i % 7` bytes under `directory`. A fixture may do this
  /// faster than one stream per file (the local one uses the file system directly).
  let populate: @Sendable (_ scratch: Scratch, _ directory: UFSURI, _ count: Int) async throws -> Void

  var description: String { name }

  /// Runs `body` with a fresh scratch root, cleaning up whatever happens.
  func withScratch(_ body: (Scratch) async throws -> Void) async throws {
    let (scratch, cleanup) = try await makeScratch()
    do {
      try await body(scratch)
    } catch {
      await cleanup()
      throw error
    }
    await cleanup()
  }

  static let all: [UFSConformanceFixture] = [.local, .s3]

  static let local = UFSConformanceFixture(
    name: "local",
    capabilities: [.permissions],
    makeScratch: {
      let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("goosefs-ufs-test-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      let ufs = try UnderFileSystemRegistry.standard.create(uri: root, options: [:])
      let cleanup: @Sendable () async -> Void = { try? FileManager.default.removeItem(atPath: root) }
      return (Scratch(ufs: ufs, root: try UFSURI(root)), cleanup)
    },
    populate: { _, directory, count in
      // Raw syscalls: FileManager.createFile writes atomically via a temporary, far too slow here.
      let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 7)
      for index in 0..<count {
        let path = directory.path + "/f\(index)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw GooseFSError(.ioError, "could not create \(path)") }
        let written = write(descriptor, filler, index % 7)
        close(descriptor)
        guard written == index % 7 else { throw GooseFSError(.ioError, "could not fill \(path)") }
      }
    })
}

/// Helpers shared by the suites.
enum UFSTestSupport {
  static func bytes(_ text: String) -> ByteBuffer {
    ByteBuffer(string: text)
  }

  /// Writes a whole file through the adapter's output stream.
  static func writeFile(
    _ ufs: any UnderFileSystem, _ path: String, _ content: String, createParents: Bool = false
  ) async throws {
    let stream = try await ufs.create(path, mode: 0o644, createParents: createParents)
    try await stream.write(bytes(content))
    try await stream.close()
  }

  static func readString(
    _ stream: any UFSInputStream, offset: Int64, length: Int
  ) async throws -> String {
    var buffer = try await stream.read(offset: offset, length: length)
    return buffer.readString(length: buffer.readableBytes) ?? ""
  }

  static func readFile(_ ufs: any UnderFileSystem, _ path: String) async throws -> String {
    let stream = try await ufs.openRead(path)
    let text = try await readString(stream, offset: 0, length: 1 << 20)
    await stream.close()
    return text
  }
}
