import Foundation
import GooseFSClient
import GooseFSCore
import Testing

@testable import GooseFSShell

@Suite struct FsCommandTests {
  func seeded() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.addDirectory("/data")
    fs.addFile("/data/b.txt", length: 4352, modified: 1_625_224_525_107, blocks: [1])
    fs.addFile("/data/a.txt", length: 29_816, pinned: true)
    fs.addDirectory("/data/sub")
    fs.addFile("/data/sub/c.bin", length: 100)
    return fs
  }

  @Test func lsSortsByPathAndPrintsPathLast() async throws {
    let result = try await ShellHarness.run(["fs", "ls", "/data"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(result.lines.map { FluidRegex.fields($0).last! } == ["/data/a.txt", "/data/b.txt", "/data/sub"])
    #expect(FluidRegex.fields(result.lines[2])[3] == "1")  // child count of /data/sub
    #expect(FluidRegex.fields(result.lines[2])[7] == "DIR")
  }

  @Test func lsRecursiveWithSystemPropertyBeforeTheSubcommand() async throws {
    let fs = seeded()
    let result = try await ShellHarness.run(["fs", "-Dgoosefs.user.file.metadata.sync.interval=0", "ls", "-R", "/data"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines.map { FluidRegex.fields($0).last! } == ["/data/a.txt", "/data/b.txt", "/data/sub", "/data/sub/c.bin"])
    #expect(fs.calls.contains("listStatus /data recursive=true"))
  }

  @Test func lsOptionsSortReversePinnedHumanForce() async throws {
    let fs = seeded()
    let bySize = try await ShellHarness.run(["fs", "ls", "--sort", "size", "-r", "/data"], fileSystem: fs)
    #expect(bySize.lines.map { FluidRegex.fields($0).last! } == ["/data/a.txt", "/data/b.txt", "/data/sub"])
    let pinned = try await ShellHarness.run(["fs", "ls", "-p", "-h", "/data"], fileSystem: fs)
    #expect(pinned.lines.count == 1)
    #expect(FluidRegex.fields(pinned.lines[0])[3] == "29.12KB")
    _ = try await ShellHarness.run(["fs", "ls", "-f", "/data"], fileSystem: fs)
    #expect(fs.state.withLock { $0.lastSyncInterval } == .some(.some(0)))
  }

  @Test func lsOfAFileAndDirectoryItself() async throws {
    let fs = seeded()
    let file = try await ShellHarness.run(["fs", "ls", "/data/b.txt"], fileSystem: fs)
    #expect(file.lines.count == 1)
    #expect(file.lines[0].contains(" 07-02-2021 11:15:25:107 100% /data/b.txt"))
    let dir = try await ShellHarness.run(["fs", "ls", "-d", "/data"], fileSystem: fs)
    #expect(dir.lines.count == 1)
    #expect(FluidRegex.fields(dir.lines[0]).last == "/data")
  }

  @Test func lsInvalidSortIsAUsageError() async throws {
    let result = try await ShellHarness.run(["fs", "ls", "--sort", "color", "/"])
    #expect(result.code == 255)
    #expect(result.lines[0] == "Invalid sort option `color` for --sort")
    #expect(result.lines[1].hasPrefix("Usage: ls "))
  }

  @Test func missingPathPrintsAlluxioMessageOnStdout() async throws {
    let result = try await ShellHarness.run(["fs", "ls", "/x"])
    #expect(result.code == 255)
    #expect(result.stdout == "Path \"/x\" does not exist.\n")
    #expect(result.stderr.isEmpty)
  }

  @Test func countIsExactlyTwoLines() async throws {
    let result = try await ShellHarness.run(["fs", "count", "/data"], fileSystem: seeded())
    #expect(result.code == 0)
    let lines = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
    #expect(lines.count == 2)
    #expect(FluidRegex.fields(lines[1]) == ["3", "2", "\(4352 + 29_816 + 100)"])
    let file = try await ShellHarness.run(["fs", "count", "/data/a.txt"], fileSystem: seeded())
    #expect(FluidRegex.fields(file.lines[1]) == ["1", "0", "29816"])
    let root = try await ShellHarness.run(["fs", "count", "/"], fileSystem: InMemoryFileSystem())
    #expect(FluidRegex.fields(root.lines[1]) == ["0", "1", "0"])
  }

  @Test func statPrintsKindAndCustomFormat() async throws {
    let fs = seeded()
    let file = try await ShellHarness.run(["fs", "stat", "/data/b.txt"], fileSystem: fs)
    #expect(file.lines[0] == "/data/b.txt is a file path.")
    #expect(file.lines[1].hasPrefix("FileInfo{"))
    #expect(file.lines[2] == "Containing the following blocks: ")
    let dir = try await ShellHarness.run(["fs", "stat", "/data"], fileSystem: fs)
    #expect(dir.lines[0] == "/data is a directory path.")
    let custom = try await ShellHarness.run(["fs", "stat", "-f", "%N %z %u:%g %y %Y %b %q", "/data/b.txt"], fileSystem: fs)
    #expect(custom.lines == ["b.txt 4352 root:root 2021-07-02 11:15:25 1625224525107 1 %q"])
    let customDir = try await ShellHarness.run(["fs", "stat", "-f", "%z %b", "/data"], fileSystem: fs)
    #expect(customDir.lines == ["NA NA"])
  }

  @Test func mkdirTouchMvRm() async throws {
    let fs = InMemoryFileSystem()
    var result = try await ShellHarness.run(["fs", "mkdir", "/a/b", "/c"], fileSystem: fs)
    #expect(result.lines == ["Successfully created directory /a/b", "Successfully created directory /c"])
    result = try await ShellHarness.run(["fs", "mkdir", "/c"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.stdout == "Path \"/c\" already exists.\n")
    result = try await ShellHarness.run(["fs", "touch", "/a/f"], fileSystem: fs)
    #expect(result.lines == ["/a/f has been created"])
    #expect(fs.calls.contains("completeFile /a/f 0"))
    result = try await ShellHarness.run(["fs", "mv", "/a/f", "/c"], fileSystem: fs)
    #expect(result.lines == ["Renamed /a/f to /c/f"])
    result = try await ShellHarness.run(["fs", "mv", "/c/f", "/c/g"], fileSystem: fs)
    #expect(result.lines == ["Renamed /c/f to /c/g"])
    result = try await ShellHarness.run(["fs", "rm", "/c"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.lines == ["/c is a directory, to remove it, please use \"rm -R <path>\""])
    result = try await ShellHarness.run(["fs", "rm", "-R", "--goosefsOnly", "/c"], fileSystem: fs)
    #expect(result.lines == ["/c has been removed from GooseFS space"])
    #expect(fs.calls.contains("remove /c recursive=true goosefsOnly=true"))
    result = try await ShellHarness.run(["fs", "rm", "/c"], fileSystem: fs)
    #expect(result.stdout == "Path \"/c\" does not exist.\n")
  }

  @Test func testCommandExitCodes() async throws {
    let fs = seeded()
    let cases: [([String], Int32)] = [
      (["-d", "/data"], 0), (["-d", "/data/a.txt"], 1), (["-f", "/data/a.txt"], 0), (["-e", "/nope"], 1),
      (["-e", "/data"], 0), (["-s", "/data"], 0), (["-s", "/data/sub/c.bin"], 1), (["-z", "/data/a.txt"], 1),
      (["/data"], 255), (["-d", "-f", "/data"], 255),
    ]
    for (arguments, expected) in cases {
      let result = try await ShellHarness.run(["fs", "test"] + arguments, fileSystem: fs)
      #expect(result.code == expected, "\(arguments)")
      #expect(result.stdout.isEmpty, "\(arguments)")
    }
  }

  @Test func attributeCommands() async throws {
    let fs = seeded()
    var result = try await ShellHarness.run(["fs", "chmod", "-R", "0750", "/data"], fileSystem: fs)
    #expect(result.lines == ["Changed permission of /data to 750"])
    #expect(fs.calls.contains("setAttribute /data mode=750 recursive"))
    result = try await ShellHarness.run(["fs", "chmod", "rwx", "/data"], fileSystem: fs)
    #expect(result.code == 255)
    result = try await ShellHarness.run(["fs", "chown", "alice", "/data"], fileSystem: fs)
    #expect(result.lines == ["Changed owner of /data to alice"])
    result = try await ShellHarness.run(["fs", "chown", "-R", "alice:staff", "/data"], fileSystem: fs)
    #expect(result.lines == ["Changed owner:group of /data to alice:staff."])
    result = try await ShellHarness.run(["fs", "chown", "a:b:c", "/data"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.lines == ["Failed to parse a:b:c as user or user:group"])
    result = try await ShellHarness.run(["fs", "chgrp", "staff", "/data"], fileSystem: fs)
    #expect(result.lines == ["Changed group of /data to staff"])
    result = try await ShellHarness.run(["fs", "pin", "/data"], fileSystem: fs)
    #expect(result.lines == ["File '/data' was successfully pinned."])
    result = try await ShellHarness.run(["fs", "unpin", "/data"], fileSystem: fs)
    #expect(result.lines == ["File '/data' was successfully unpinned."])
  }

  @Test func ttlCommands() async throws {
    let fs = seeded()
    var result = try await ShellHarness.run(["fs", "setTtl", "/data", "60000"], fileSystem: fs)
    #expect(result.lines == ["TTL of path '/data' was successfully set to 60000 milliseconds, with expiry action set to DELETE"])
    result = try await ShellHarness.run(["fs", "setTtl", "--action", "free", "/data", "2h"], fileSystem: fs)
    #expect(result.lines == ["TTL of path '/data' was successfully set to 7200000 milliseconds, with expiry action set to FREE"])
    #expect(fs.calls.contains("setAttribute /data ttl=7200000 action=FREE"))
    result = try await ShellHarness.run(["fs", "setTtl", "--action", "explode", "/data", "1"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.lines[0] == "TTL action should be DELETE OR FREE, not explode")
    result = try await ShellHarness.run(["fs", "unsetTtl", "/data"], fileSystem: fs)
    #expect(result.lines == ["TTL of path '/data' was successfully removed."])
    #expect(fs.calls.last == "setAttribute /data ttl=-1 action=DELETE")
  }

  @Test func mountListAddAndUnmount() async throws {
    let fs = InMemoryFileSystem()
    var result = try await ShellHarness.run(
      ["fs", "mount", "--readonly", "--option", "fs.cos.secret.key=S3CR3T", "--option", "fs.cosn.bucket.region=ap-beijing",
       "/cos", "cosn://bucket/data"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines == ["Mounted cosn://bucket/data at /cos"])
    #expect(fs.calls.contains("mount /cos cosn://bucket/data readOnly=true shared=false [(key: \"fs.cos.secret.key\", value: \"S3CR3T\"), (key: \"fs.cosn.bucket.region\", value: \"ap-beijing\")]"))
    result = try await ShellHarness.run(["fs", "mount"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines.count == 2)
    #expect(result.lines.map { FluidRegex.fields($0)[2] } == ["/", "/cos"])
    #expect(!result.stdout.contains("S3CR3T"))
    result = try await ShellHarness.run(["fs", "mount", "/only-one"], fileSystem: fs)
    #expect(result.code == 255)
    result = try await ShellHarness.run(["fs", "unmount", "/cos"], fileSystem: fs)
    #expect(result.lines == ["Unmounted /cos"])
  }

  @Test func metadataCommands() async throws {
    let fs = seeded()
    var result = try await ShellHarness.run(["fs", "loadMetadata", "-R", "-F", "/"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.stdout.isEmpty)
    #expect(fs.calls.contains("loadMetadata / recursive=true force=true"))
    result = try await ShellHarness.run(["fs", "checkConsistency", "/data"], fileSystem: fs)
    #expect(result.lines == ["/data is consistent with the under storage system."])
    fs.state.withLock { $0.consistency = ConsistencyReport(inconsistentPaths: ["/data/z", "/data/b"], repairedCount: 0) }
    result = try await ShellHarness.run(["fs", "checkConsistency", "/data"], fileSystem: fs)
    #expect(result.lines == ["The following files are inconsistent:", "/data/b", "/data/z"])
    result = try await ShellHarness.run(["fs", "checkConsistency", "-r", "/data"], fileSystem: fs)
    #expect(result.lines.first == "/data has: 2 inconsistent files.")
    #expect(fs.calls.contains("checkConsistency /data repair=true"))
  }

  @Test func uriPathsAreAccepted() async throws {
    let result = try await ShellHarness.run(["fs", "ls", "-d", "gfs://master:9200/data"], fileSystem: seeded())
    #expect(result.code == 0)
    #expect(FluidRegex.fields(result.lines[0]).last == "/data")
  }

  @Test func shellUsageAndUnknownCommands() async throws {
    var result = try await ShellHarness.run(["fs"])
    #expect(result.code == 255)
    #expect(result.lines[0] == "Usage: goosefs fs [generic options]")
    result = try await ShellHarness.run(["fs", "help"])
    #expect(result.code == 0)
    #expect(result.lines.contains { $0.contains("[ls [-d|-f|-p|-R|-h|--sort=option|--timestamp=option|-r] <path> ...]") })
    result = try await ShellHarness.run(["fs", "help", "count"])
    #expect(result.code == 0)
    #expect(result.lines[0] == "count [-h] <path>")
    result = try await ShellHarness.run(["fs", "frobnicate"])
    #expect(result.code == 255)
    #expect(result.lines[0] == "frobnicate is an unknown command.")
    result = try await ShellHarness.run(["fs", "ls", "-Z", "/"])
    #expect(result.code == 255)
    #expect(result.lines[0] == "Failed to parse args for ls: Unrecognized option: -Z")
    #expect(result.lines[1].hasPrefix("Usage: ls"))
  }

  @Test func usageErrorsDoNotConnect() async throws {
    let result = try await ShellHarness.run(["fs", "stat"], connect: false)
    #expect(result.code == 255)
    #expect(result.lines[0] == "Command stat takes 1 argument, not 0")
  }

  @Test func connectionFailureIsAnErrorMessage() async throws {
    let result = try await ShellHarness.run(["fs", "ls", "/"], connect: false)
    #expect(result.code == 255)
    #expect(result.stdout == "Failed to connect to master (localhost:9200)\n")
  }
}
