import Foundation
import GooseFSCore
import Testing

@testable import GooseFSShell

/// Commands whose stdout is a file's bytes (`cat`, `head`, `tail`, `copyToLocal <src> -`) print
/// their errors on stderr, so a script's redirected output never holds error text; every other
/// command keeps Alluxio's stdout errors (Fluid parses `fs ls` of a missing path).
@Suite struct DataStreamErrorTests {
  static let contents: [UInt8] = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 * 13 + 1) }
  static let failingAt = 1_000

  /// `/data/file` reads fine; `/data/dying` fails after `failingAt` bytes, as a file whose only
  /// worker died half-way through the read.
  func seeded() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.state.withLock {
      $0.readChunkLimit = 100
      $0.failingReads["/data/dying"] = Self.failingAt
    }
    fs.addDirectory("/data")
    fs.addFile("/data/file", contents: Self.contents)
    fs.addFile("/data/dying", contents: Self.contents)
    return fs
  }

  @Test(arguments: [["fs", "cat"], ["fs", "copyToLocal"]])
  func aReadFailingHalfWayLeavesOnlyFileBytesOnStdout(_ command: [String]) async throws {
    let arguments = command + ["/data/dying"] + (command.last == "copyToLocal" ? ["-"] : [])
    let result = try await ShellHarness.run(arguments, fileSystem: seeded())
    #expect(result.code == 255)
    #expect(result.bytes == Array(Self.contents.prefix(Self.failingAt)))
    #expect(result.stderr == InMemoryInStream.workerLost + "\n")
  }

  @Test(arguments: [["fs", "cat", "/nope"], ["fs", "head", "/nope"], ["fs", "tail", "/nope"], ["fs", "copyToLocal", "/nope", "-"]])
  func aMissingPathIsReportedOnStderr(_ arguments: [String]) async throws {
    let result = try await ShellHarness.run(arguments, fileSystem: seeded())
    #expect(result.code == 255)
    #expect(result.bytes.isEmpty)
    #expect(result.stderr == "Path \"/nope\" does not exist.\n")
  }

  @Test func tailOfAFailingRangeWritesNothing() async throws {
    let result = try await ShellHarness.run(["fs", "tail", "-c", "100", "/data/dying"], fileSystem: seeded())
    #expect(result.code == 255)
    #expect(result.bytes.isEmpty)
    #expect(result.stderr == InMemoryInStream.workerLost + "\n")
  }

  @Test func copyToLocalDashWritesTheFileToStdout() async throws {
    let result = try await ShellHarness.run(["fs", "copyToLocal", "--buffersize", "333", "/data/file", "-"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(result.bytes == Self.contents)
    #expect(result.stderr.isEmpty)
    let folder = try await ShellHarness.run(["fs", "copyToLocal", "/data", "-"], fileSystem: seeded())
    #expect(folder.code == 255)
    #expect(folder.bytes.isEmpty)
    #expect(folder.stderr == "Path \"/data\" must be a file.\n")
  }

  @Test func otherCommandsKeepAlluxioStdoutErrors() async throws {
    let ls = try await ShellHarness.run(["fs", "ls", "/nope"], fileSystem: seeded())
    #expect(ls.code == 255)
    #expect(ls.stdout == "Path \"/nope\" does not exist.\n")
    #expect(ls.stderr.isEmpty)
    let tree = try LocalTree()
    defer { tree.remove() }
    let copy = try await ShellHarness.run(["fs", "copyToLocal", "/nope", tree.path("out")], fileSystem: seeded())
    #expect(copy.code == 255)
    #expect(copy.stdout == "Path \"/nope\" does not exist.\n")
    #expect(copy.stderr.isEmpty)
    let checksum = try await ShellHarness.run(["fs", "checksum", "/nope"], fileSystem: seeded())
    #expect(checksum.stdout == "Path \"/nope\" does not exist.\n")
  }
}
