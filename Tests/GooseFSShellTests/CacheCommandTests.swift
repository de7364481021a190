import Foundation
import GooseFSClient
import GooseFSCore
import Testing

@testable import GooseFSShell

@Suite struct FreeCommandTests {
  /// /d/a persisted, /d/b only in GooseFS, /d/c pinned; all cached on worker 1.
  func cluster() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.addWorker(id: 1, host: "10.0.0.1")
    fs.addDirectory("/d")
    fs.addFile("/d/a", contents: [1, 2], cachedOn: [1])
    fs.addFile("/d/b", contents: [3], persisted: false, cachedOn: [1])
    fs.addFile("/d/c", contents: [4], pinned: true, cachedOn: [1])
    return fs
  }

  @Test func freesPersistedData() async throws {
    let fs = cluster()
    let result = try await ShellHarness.run(["fs", "free", "/d/a"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.stdout == "/d/a was successfully freed from GooseFS space.\n")
    #expect(fs.placement(of: "/d/a") == [[]])
    #expect(fs.calls.contains("free /d/a recursive=true forced=false"))
    #expect(try await fs.getStatus("/d/a", syncIntervalMs: nil).inGooseFSPercentage == 0)
  }

  @Test func refusesAPinnedFileWithoutForce() async throws {
    let fs = cluster()
    var result = try await ShellHarness.run(["fs", "free", "/d/c"], fileSystem: fs)
    #expect(result.code == 1)
    #expect(result.lines == [
      "/d/c was not freed: it is pinned (use -f to free pinned files)", "/d/c was not fully freed from GooseFS space.",
    ])
    #expect(fs.placement(of: "/d/c") == [[1]])
    result = try await ShellHarness.run(["fs", "free", "-f", "/d/c"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(fs.placement(of: "/d/c") == [[]])
  }

  @Test func refusesTheOnlyCopyAndPinnedFiles() async throws {
    let fs = cluster()
    var result = try await ShellHarness.run(["fs", "free", "/d"], fileSystem: fs)
    #expect(result.code == 1)
    #expect(result.lines == [
      "/d/b was not freed: it is not persisted, and GooseFS holds its only copy",
      "/d/c was not freed: it is pinned (use -f to free pinned files)",
      "/d was not fully freed from GooseFS space.",
    ])
    #expect(fs.placement(of: "/d/a") == [[]])
    #expect(fs.placement(of: "/d/b") == [[1]])
    #expect(fs.placement(of: "/d/c") == [[1]])

    result = try await ShellHarness.run(["fs", "free", "-f", "/d"], fileSystem: fs)
    #expect(result.code == 1)
    #expect(result.lines == [
      "/d/b was not freed: it is not persisted, and GooseFS holds its only copy",
      "/d was not fully freed from GooseFS space.",
    ])
    #expect(fs.placement(of: "/d/c") == [[]])
    #expect(fs.placement(of: "/d/b") == [[1]])
  }

  @Test func missingPath() async throws {
    let result = try await ShellHarness.run(["fs", "free", "-f", "/gone"], fileSystem: cluster())
    #expect(result.code == 255)
    #expect(result.stdout == "Path \"/gone\" does not exist.\n")
  }
}

@Suite struct LoadCommandTests {
  func cluster() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.addWorker(id: 1, host: "10.0.0.1")
    fs.addWorker(id: 2, host: "10.0.0.2")
    fs.state.withLock { $0.blockSize = 2 }
    fs.addDirectory("/data")
    fs.addFile("/data/cold", contents: [1, 2, 3])
    fs.addFile("/data/hot", contents: [4], cachedOn: [2])
    return fs
  }

  @Test func loadsWhatIsNotCached() async throws {
    let fs = cluster()
    let result = try await ShellHarness.run(["fs", "load", "/data"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines == ["/data/cold loaded", "/data/hot already in GooseFS fully", "/data loaded"])
    #expect(fs.placement(of: "/data/cold").allSatisfy { $0.count == 1 })
    #expect(fs.calls.contains("cache /data/cold replication=1 local=false"))
  }

  @Test func localNeedsALocalWorker() async throws {
    let fs = cluster()
    var result = try await ShellHarness.run(["fs", "load", "--local", "/data/hot"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.lines == [
      "Failed to load /data/hot: When local option is specified, there must be a local worker available"
    ])
    fs.state.withLock { $0.localHost = "10.0.0.1" }
    result = try await ShellHarness.run(["fs", "load", "--local", "/data/hot"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines == ["/data/hot loaded"])
    #expect(fs.placement(of: "/data/hot") == [[2, 1]])
  }
}

@Suite struct DistributedLoadCommandTests {
  func cluster() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.addWorker(id: 1, host: "10.0.0.1")
    fs.addWorker(id: 2, host: "10.0.0.2")
    fs.state.withLock { $0.blockSize = 4 }
    fs.addDirectory("/ds")
    fs.addFile("/ds/a", contents: Array(0..<10))
    fs.addFile("/ds/sub/b", contents: Array(0..<3), cachedOn: [1])
    fs.addFile("/ds/sub/empty", contents: [])
    return fs
  }

  @Test func blocksUntilEveryFileHasItsReplicas() async throws {
    let fs = cluster()
    let result = try await ShellHarness.run(
      ["fs", "distributedLoad", "-Dgoosefs.user.file.metadata.sync.interval=0", "--replication", "2", "/ds"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(Set(result.lines.dropLast()) == [
      "Successfully loaded path /ds/a", "Successfully loaded path /ds/sub/b", "Successfully loaded path /ds/sub/empty",
    ])
    #expect(result.lines.last == "Total completed file count is 3, failed file count is 0")
    #expect(fs.placement(of: "/ds/a").map { Set($0) } == [[1, 2], [1, 2], [1, 2]])
    #expect(fs.placement(of: "/ds/sub/b").map { Set($0) } == [[1, 2]])
    // An empty file has nothing to cache.
    #expect(!fs.calls.contains { $0.hasPrefix("cache /ds/sub/empty") })
  }

  @Test func alreadyCachedFilesAreNotLoadedAgain() async throws {
    let fs = cluster()
    let result = try await ShellHarness.run(["fs", "distributedLoad", "/ds/sub/b"], fileSystem: fs)
    #expect(result.lines == ["Successfully loaded path /ds/sub/b", "Total completed file count is 1, failed file count is 0"])
    #expect(!fs.calls.contains { $0.hasPrefix("cache ") })
  }

  @Test func fluidAtomicFormIsAccepted() async throws {
    let fs = cluster()
    let result = try await ShellHarness.run(
      ["fs", "distributedLoad", "-A", "--replication", "1", "/ds", "--expire-time", "43200000"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines.last == "Total completed file count is 3, failed file count is 0")
    // No TTL is put on the loaded data.
    #expect(!fs.calls.contains { $0.hasPrefix("setAttribute") })
  }

  @Test func anyFailureFailsTheCommand() async throws {
    let fs = cluster()
    fs.state.withLock { $0.failingCachePaths = ["/ds/a"] }
    let result = try await ShellHarness.run(["fs", "distributedLoad", "--active-jobs", "1", "/ds"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.lines.contains("Failed to load path /ds/a: Failed to cache /ds/a: worker connection reset"))
    #expect(result.lines.last == "Total completed file count is 2, failed file count is 1")
    let tooMany = try await ShellHarness.run(["fs", "distributedLoad", "--replication", "3", "/ds/a"], fileSystem: cluster())
    #expect(tooMany.code == 255)
    #expect(tooMany.lines.last == "Total completed file count is 0, failed file count is 1")
  }

  @Test func argumentErrors() async throws {
    var result = try await ShellHarness.run(["fs", "distributedLoad", "--replication", "0", "/ds"], connect: false)
    #expect(result.code == 255)
    #expect(result.lines[0] == "Invalid value 0 for --replication: expected an integer ≥ 1")
    result = try await ShellHarness.run(["fs", "distributedLoad", "--expire-time", "soon", "/ds"], connect: false)
    #expect(result.code == 255)
    #expect(result.lines[0].hasPrefix("Invalid value soon for --expire-time"))
    result = try await ShellHarness.run(["fs", "distributedLoad", "/missing"], fileSystem: cluster())
    #expect(result.code == 255)
    #expect(result.stdout == "Path \"/missing\" does not exist.\n")
  }
}

@Suite struct PersistAndReplicationCommandTests {
  @Test func persistEachFileOnce() async throws {
    let fs = InMemoryFileSystem()
    fs.addWorker(id: 1, host: "10.0.0.1")
    fs.addFile("/p/new", contents: [1, 2, 3], persisted: false, cachedOn: [1])
    fs.addFile("/p/old", contents: [1])
    fs.addFile("/q", contents: [7], persisted: false)
    fs.state.withLock { $0.failingPersistPaths = ["/q"] }
    let result = try await ShellHarness.run(["fs", "persist", "/p", "/q", "/nothing"], fileSystem: fs)
    #expect(result.code == 255)
    #expect(result.lines == [
      "persisted file /p/new with size 3",
      "/p/old is already persisted",
      "Failed to persist /q: under store unavailable",
      "Path \"/nothing\" does not exist.",
    ])
    #expect(try await fs.getStatus("/p/new", syncIntervalMs: nil).isPersisted)
  }

  @Test func setReplicationWithFluidsSpelling() async throws {
    let fs = InMemoryFileSystem()
    fs.addDirectory("/ds")
    var result = try await ShellHarness.run(["fs", "setReplication", "--max", "2", "-R", "/ds"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines == ["Changed the replication level of /ds", "replicationMax was set to 2", ""])
    #expect(fs.calls.contains("setAttribute /ds replicationMax=2 recursive"))
    result = try await ShellHarness.run(["fs", "setReplication", "-max", "-1", "-min", "1", "/ds"], fileSystem: fs)
    #expect(result.lines == [
      "Changed the replication level of /ds", "replicationMax was set to -1", "replicationMin was set to 1", "",
    ])
  }

  @Test func setReplicationErrors() async throws {
    var result = try await ShellHarness.run(["fs", "setReplication", "/ds"], connect: false)
    #expect(result.code == 255)
    #expect(result.stdout == "At least one option of '-max' or '-min' must be specified\n")
    result = try await ShellHarness.run(["fs", "setReplication", "--max", "1", "--min", "2", "/ds"], connect: false)
    #expect(result.stdout == "Invalid values for '-max' and '-min' options\n")
    result = try await ShellHarness.run(["fs", "setReplication", "--max", "two", "/ds"], connect: false)
    #expect(result.lines[0] == "Invalid value two for --max: expected an integer ≥ -1")
    result = try await ShellHarness.run(["fs", "setReplication", "--max", "1", "/missing"])
    #expect(result.stdout == "Path \"/missing\" does not exist.\n")
  }
}

@Suite struct SpaceCommandTests {
  /// /d/a 4352 bytes fully cached on a MEM worker, /d/b 1000 bytes cached on an SSD worker.
  func cluster() -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.addWorker(id: 1, host: "10.0.0.1")
    fs.addWorker(id: 2, host: "10.0.0.2", tiers: [TierCapacity(alias: "SSD", capacityBytes: 1 << 30, usedBytes: 0)])
    fs.state.withLock { $0.blockSize = 1000 }
    fs.addFile("/d/a", contents: [UInt8](repeating: 1, count: 4352), cachedOn: [1])
    fs.addFile("/d/b", contents: [UInt8](repeating: 2, count: 1000), cachedOn: [2])
    fs.addFile("/d/c", contents: [UInt8](repeating: 3, count: 3000))
    return fs
  }

  @Test func duRowsAndHeader() async throws {
    let result = try await ShellHarness.run(["fs", "du", "/d"], fileSystem: cluster())
    #expect(result.code == 0)
    #expect(result.lines == [
      "File Size     In GooseFS       Path",
      "4352          4352 (100%)      /d/a",
      "1000          1000 (100%)      /d/b",
      "3000          0 (0%)           /d/c",
    ])
  }

  @Test func duSummaryIsWhatFluidParses() async throws {
    let result = try await ShellHarness.run(["fs", "du", "-s", "/d"], fileSystem: cluster())
    #expect(result.lines == ["File Size     In GooseFS       Path", "8352          5352 (64%)       /d"])
    let parsed = try FluidParsers.du(result.stdout)
    #expect(parsed.ufs == 8352)
    #expect(parsed.cached == 5352)
    #expect(parsed.percentage == "(64%)")
    #expect(parsed.path == "/d")
  }

  @Test func duSummaryOfAnEmptyDirectoryStillHasTwoLines() async throws {
    let fs = cluster()
    fs.addDirectory("/empty")
    let result = try await ShellHarness.run(["fs", "du", "-s", "/empty"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(try FluidParsers.du(result.stdout).ufs == 0)
    let rows = try await ShellHarness.run(["fs", "du", "/empty"], fileSystem: fs)
    #expect(rows.lines == ["File Size     In GooseFS       Path"])
  }

  @Test func duHumanReadableWithMemory() async throws {
    let result = try await ShellHarness.run(["fs", "du", "-s", "-h", "--memory", "/d"], fileSystem: cluster())
    #expect(result.lines == [
      "File Size     In GooseFS       In Memory        Path",
      "8.16KB        5.23KB (64%)     4352B (52%)      /d",
    ])
    let file = try await ShellHarness.run(["fs", "du", "-m", "/d/a"], fileSystem: cluster())
    #expect(file.lines[1] == "4352          4352 (100%)      4352 (100%)      /d/a")
    let missing = try await ShellHarness.run(["fs", "du", "-s", "/none"], fileSystem: cluster())
    #expect(missing.code == 255)
    #expect(missing.stdout == "Path \"/none\" does not exist.\n")
  }

  @Test func locationNamesEachBlockAndItsHosts() async throws {
    let fs = cluster()
    _ = try await fs.cache(try await fs.getStatus("/d/b", syncIntervalMs: nil), CacheRequest(replication: 2)) { _ in }
    let info = try await fs.getStatus("/d/a", syncIntervalMs: nil)
    var result = try await ShellHarness.run(["fs", "location", "/d/a"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines.count == 6)
    #expect(result.lines[0] == "/d/a with file id \(info.fileID) is on nodes: ")
    #expect(result.lines[1] == "Block \(BlockID.make(container: info.fileID, index: 0)): 10.0.0.1")
    result = try await ShellHarness.run(["fs", "location", "/d/b"], fileSystem: fs)
    #expect(result.lines[1].hasSuffix(": 10.0.0.2, 10.0.0.1"))
    result = try await ShellHarness.run(["fs", "location", "/d/c"], fileSystem: fs)
    #expect(result.lines[1].hasSuffix(": not cached"))
  }

  @Test func capacityAndUsedBytes() async throws {
    let fs = InMemoryFileSystem()
    fs.state.withLock {
      $0.masterInfo.tiers = [
        TierCapacity(alias: "MEM", capacityBytes: 1000, usedBytes: 10), TierCapacity(alias: "SSD", capacityBytes: 500, usedBytes: 5),
      ]
    }
    let capacity = try await ShellHarness.run(["fs", "getCapacityBytes"], fileSystem: fs)
    #expect(capacity.stdout == "Capacity Bytes: 1500\n")
    let used = try await ShellHarness.run(["fs", "getUsedBytes"], fileSystem: fs)
    #expect(used.stdout == "Used Bytes: 15\n")
    let extra = try await ShellHarness.run(["fs", "getUsedBytes", "/"], fileSystem: fs)
    #expect(extra.code == 255)
    #expect(extra.lines[0] == "Command getUsedBytes takes 0 arguments, not 1")
  }
}
