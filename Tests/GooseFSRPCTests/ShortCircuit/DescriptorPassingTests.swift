import Foundation
import GooseFSCore
import Testing

@testable import GooseFSRPC

#if canImport(Glibc)
  import Glibc
#endif

/// A block's open file travels over the Unix socket; errors travel as codes, never as a descriptor.
@Suite(.timeLimit(.minutes(1))) struct DescriptorPassingTests {
  @Test func aPassedDescriptorReadsTheFileAndErrorsKeepTheirCode() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sc-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let blockFile = folder.appendingPathComponent("42")
    try Data("block forty-two".utf8).write(to: blockFile)
    let socket = folder.appendingPathComponent("s.sock").path
    let server = try DescriptorPassingServer(path: socket) { blockID in
      guard blockID == 42 else { throw GooseFSError(.notFound, "no block \(blockID)") }
      let fd = open(blockFile.path, O_RDONLY)
      return (fd, 15)
    }
    defer { server.close() }

    let (fd, length) = try DescriptorPassingClient.open(socketPath: socket, blockID: 42)
    defer { close(fd) }
    #expect(length == 15)
    var bytes = [UInt8](repeating: 0, count: 15)
    #expect(pread(fd, &bytes, 15, 0) == 15)
    #expect(String(decoding: bytes, as: UTF8.self) == "block forty-two")

    #expect {
      _ = try DescriptorPassingClient.open(socketPath: socket, blockID: 7)
    } throws: { error in
      (error as? GooseFSError)?.code == .notFound
    }
    #expect {
      _ = try DescriptorPassingClient.open(socketPath: folder.appendingPathComponent("missing.sock").path, blockID: 42)
    } throws: { error in
      (error as? GooseFSError)?.code == .unavailable
    }
  }
}
