import Foundation
import GooseFSCore
import Testing

@testable import GooseFSShell

@Suite struct ReadCommandTests {
  /// Every byte value, then a counter, so that any misplaced byte shows.
  static let binary: [UInt8] = Array(0...255) + (0..<2_744).map { UInt8(truncatingIfNeeded: $0 * 7) }

  func seeded() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.state.withLock {
      $0.readChunkLimit = 7  // forces the commands to loop over short reads
      $0.blockSize = 1000
    }
    fs.addDirectory("/data")
    fs.addFile("/data/blob", contents: Self.binary)
    fs.addFile("/data/small", contents: Array("hello".utf8))
    fs.addFile("/data/empty", contents: [])
    return fs
  }

  @Test func catPrintsBytesUnchanged() async throws {
    let result = try await ShellHarness.run(["fs", "cat", "/data/blob"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(result.bytes == Self.binary)
    let empty = try await ShellHarness.run(["fs", "cat", "/data/empty"], fileSystem: seeded())
    #expect(empty.code == 0)
    #expect(empty.bytes.isEmpty)
  }

  @Test func catErrors() async throws {
    let directory = try await ShellHarness.run(["fs", "cat", "/data"], fileSystem: seeded())
    #expect(directory.code == 255)
    #expect(directory.stderr == "Path \"/data\" must be a file.\n")
    #expect(directory.bytes.isEmpty)
    let missing = try await ShellHarness.run(["fs", "cat", "/x"], fileSystem: seeded())
    #expect(missing.code == 255)
    #expect(missing.stderr == "Path \"/x\" does not exist.\n")
    #expect(missing.bytes.isEmpty)
  }

  @Test func headDefaultsToOneKilobyte() async throws {
    let result = try await ShellHarness.run(["fs", "head", "/data/blob"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(result.bytes == Array(Self.binary.prefix(1024)))
  }

  @Test(arguments: [
    (["-c", "10"], 10), (["-c", "1KB"], 1024), (["-c", "4KB"], 3000), (["-c", "3000"], 3000), (["-c", "2999"], 2999),
  ])
  func headCount(_ options: [String], _ expected: Int) async throws {
    let result = try await ShellHarness.run(["fs", "head"] + options + ["/data/blob"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(result.bytes == Array(Self.binary.prefix(expected)))
  }

  @Test func tailDefaultsToOneKilobyte() async throws {
    let result = try await ShellHarness.run(["fs", "tail", "/data/blob"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(result.bytes == Array(Self.binary.suffix(1024)))
  }

  @Test(arguments: [(["-c", "1"], 1), (["-c", "10"], 10), (["-c", "1MB"], 3000), (["-c", "2999"], 2999)])
  func tailCount(_ options: [String], _ expected: Int) async throws {
    let result = try await ShellHarness.run(["fs", "tail"] + options + ["/data/blob"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(result.bytes == Array(Self.binary.suffix(expected)))
  }

  @Test(arguments: ["head", "tail"])
  func shortAndEmptyFiles(_ command: String) async throws {
    let small = try await ShellHarness.run(["fs", command, "/data/small"], fileSystem: seeded())
    #expect(small.code == 0)
    #expect(small.stdout == "hello")
    let empty = try await ShellHarness.run(["fs", command, "/data/empty"], fileSystem: seeded())
    #expect(empty.code == 0)
    #expect(empty.bytes.isEmpty)
  }

  @Test(arguments: ["head", "tail"])
  func badByteCounts(_ command: String) async throws {
    let zero = try await ShellHarness.run(["fs", command, "-c", "0", "/data/small"], fileSystem: seeded())
    #expect(zero.code == 255)
    #expect(zero.stderr == "specified bytes must be > 0\n")
    let words = try await ShellHarness.run(["fs", command, "-c", "lots", "/data/small"], fileSystem: seeded())
    #expect(words.code == 255)
    let wordsLines = words.stderr.split(separator: "\n").map(String.init)
    #expect(wordsLines[0] == "Invalid value lots for -c: expected a size such as 1024 or 4KB")
    #expect(wordsLines[1] == "Usage: \(command) [-c <bytes>] <path>")
    let directory = try await ShellHarness.run(["fs", command, "/data"], fileSystem: seeded())
    #expect(directory.stderr == "Path \"/data\" must be a file.\n")
    let missing = try await ShellHarness.run(["fs", command, "-c", "5", "/nope"], fileSystem: seeded())
    #expect(missing.stderr == "Path \"/nope\" does not exist.\n")
    for result in [zero, words, directory, missing] { #expect(result.bytes.isEmpty) }
  }

  @Test func checksumPrintsMd5WithoutCaching() async throws {
    let fs = seeded()
    let result = try await ShellHarness.run(["fs", "checksum", "/data/blob"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines == ["md5sum: \(MD5.hex(of: Self.binary))", ""])
    #expect(fs.calls.contains("openFile /data/blob readType=NO_CACHE"))
    let known = try await ShellHarness.run(["fs", "checksum", "/data/small"], fileSystem: fs)
    #expect(known.lines.first == "md5sum: 5d41402abc4b2a76b9719d911017c592")
    let directory = try await ShellHarness.run(["fs", "checksum", "/data"], fileSystem: fs)
    #expect(directory.code == 255)
    #expect(directory.stdout == "Path \"/data\" must be a file.\n")
  }
}
