import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Master + workers as real processes: reads through workers, caching, freeing, loading, writes
/// with each write type, and a worker killed mid-read.
@Suite(.serialized, .timeLimit(.minutes(15))) struct WorkerClusterTests {
  static let mebibyte = 1 << 20

  /// Writes `size` bytes of a seeded pseudo-random pattern to `url` and returns their MD5 (hex).
  @discardableResult
  static func writePattern(_ url: URL, size: Int, seed: UInt64) throws -> String {
    let script = """
      import hashlib, random, sys
      r = random.Random(\(seed)); h = hashlib.md5(); left = \(size)
      with open(sys.argv[1], 'wb') as f:
          while left > 0:
              n = min(left, 1 << 20); b = r.randbytes(n); f.write(b); h.update(b); left -= n
      print(h.hexdigest())
      """
    return try LocalCluster.runTool("python3", ["-c", script, url.path]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  static func md5(_ url: URL) throws -> String {
    try LocalCluster.runTool("md5sum", [url.path]).split(separator: " ").first.map(String.init) ?? ""
  }

  /// Parses a size as `fsadmin report` prints it (`0B`, `12.00MB`) into bytes.
  static func bytes(_ text: String) -> Double? {
    let units: [(String, Double)] = [("KB", 1024), ("MB", 1_048_576), ("GB", 1_073_741_824), ("TB", 1_099_511_627_776), ("B", 1)]
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      return Double(text.dropLast(suffix.count)).map { $0 * factor }
    }
    return nil
  }

  static func usedBytes(_ cluster: LocalCluster) throws -> Double {
    bytes(try cluster.summary()["Used Capacity"] ?? "") ?? -1
  }

  /// Equal as far as the report's two decimals show.
  static func close(_ reported: Double, _ exact: Int) -> Bool {
    abs(reported - Double(exact)) <= max(1, Double(exact) * 0.0005)
  }

  /// Polls until `condition` holds (heartbeats are asynchronous); bounded.
  static func eventually(_ what: String, _ condition: () throws -> Bool) throws {
    for _ in 0..<200 {
      if try condition() { return }
      usleep(50_000)
    }
    Issue.record("never happened: \(what)")
  }

  @Test func catThroughWorkersCachesAndFreeEmptiesTheCache() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "8MB"])
    let source = cluster.ufs.appendingPathComponent("data/big.bin")
    try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
    let expected = try Self.writePattern(source, size: 40 * Self.mebibyte + 12345, seed: 1)
    try cluster.startMaster()
    let workers = try (0..<2).map { try LocalWorker(index: $0, spec: WorkerSpec(host: "127.0.0.\($0 + 2)"), root: cluster.root) }
    for worker in workers { try cluster.startWorker(worker) }
    try cluster.waitForLiveWorkers(atLeast: 2)

    let out = cluster.root.appendingPathComponent("cat.out")
    let cat = try ChildProcess.run(
      LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "cat", "/data/big.bin"],
      environment: cluster.environment, stdoutFile: out.path)
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(try Self.md5(out) == expected)

    let summary = try cluster.summary()
    #expect(summary["Live Workers"] == "2")
    try Self.eventually("the whole file is cached") { Self.close(try Self.usedBytes(cluster), 40 * Self.mebibyte + 12345) }

    let free = try cluster.run(["fs", "free", "-f", "/"])
    #expect(free.status == 0, "\(free.stdout) \(free.stderr)")
    try Self.eventually("Used Capacity is back to 0B") { try cluster.summary()["Used Capacity"] == "0B" }

    let load = try cluster.run(["fs", "distributedLoad", "--replication", "1", "/"])
    #expect(load.status == 0, "\(load.stdout) \(load.stderr)")
    try Self.eventually("distributedLoad cached everything") { Self.close(try Self.usedBytes(cluster), 40 * Self.mebibyte + 12345) }
  }

  @Test(arguments: ["MUST_CACHE", "CACHE_THROUGH", "THROUGH", "ASYNC_THROUGH"])
  func copyFromLocalThenCopyToLocalRoundTrips(writeType: String) throws {
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.user.block.size.bytes.default": "4MB", "goosefs.user.file.writetype.default": writeType,
    ])
    try cluster.startMaster()
    let workers = try (0..<2).map { try LocalWorker(index: $0, spec: WorkerSpec(host: "127.0.0.\($0 + 2)"), root: cluster.root) }
    for worker in workers { try cluster.startWorker(worker) }
    let local = cluster.root.appendingPathComponent("in.bin")
    let expected = try Self.writePattern(local, size: 30 * Self.mebibyte + 7, seed: 2)
    let copyIn = try cluster.run(["fs", "copyFromLocal", local.path, "/written/file.bin"])
    #expect(copyIn.status == 0, "\(copyIn.stdout) \(copyIn.stderr)")
    let back = cluster.root.appendingPathComponent("out.bin")
    let copyOut = try cluster.run(["fs", "copyToLocal", "/written/file.bin", back.path])
    #expect(copyOut.status == 0, "\(copyOut.stdout) \(copyOut.stderr)")
    #expect(try Self.md5(back) == expected)
    let inStore = cluster.ufs.appendingPathComponent("written/file.bin")
    switch writeType {
    case "MUST_CACHE":
      #expect(!FileManager.default.fileExists(atPath: inStore.path))
    case "ASYNC_THROUGH":
      try Self.eventually("the file is persisted") { FileManager.default.fileExists(atPath: inStore.path) }
      try Self.eventually("the namespace says PERSISTED") {
        try cluster.run(["fs", "stat", "/written/file.bin"]).stdout.contains("PERSISTED")
          && !cluster.run(["fs", "stat", "/written/file.bin"]).stdout.contains("TO_BE_PERSISTED")
      }
      #expect(try Self.md5(inStore) == expected)
    default:
      #expect(try Self.md5(inStore) == expected)
    }
  }

  @Test func aWorkerKilledMidReadDoesNotFailTheReadAndReportsItsBlocksAfterRestart() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "4MB"])
    let source = cluster.ufs.appendingPathComponent("large.bin")
    let expected = try Self.writePattern(source, size: 200 * Self.mebibyte, seed: 3)
    try cluster.startMaster()
    let workers = try (0..<2).map { try LocalWorker(index: $0, spec: WorkerSpec(host: "127.0.0.\($0 + 2)", memQuota: "512MB"), root: cluster.root) }
    for worker in workers { try cluster.startWorker(worker) }
    // Cache it first so that the victim serves from its cache when it dies.
    #expect(try cluster.run(["fs", "load", "/large.bin"]).status == 0)
    let cachedBefore = try Self.usedBytes(cluster)

    let out = cluster.root.appendingPathComponent("cat.out")
    let cat = Process()
    cat.executableURL = LocalCluster.binaries.appendingPathComponent("goosefs")
    cat.arguments = ["fs", "cat", "/large.bin"]
    cat.environment = cluster.environment
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    cat.standardOutput = try FileHandle(forWritingTo: out)
    cat.standardError = FileHandle.nullDevice
    try cat.run()
    // Kill once the reader is well into the file.
    while cat.isRunning, ((try? FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0) < 30 * Self.mebibyte {
      usleep(2_000)
    }
    cluster.killWorker(workers[0])
    cat.waitUntilExit()
    #expect(cat.terminationStatus == 0)
    #expect(try Self.md5(out) == expected)

    // The restarted worker reports the blocks it still has.
    try cluster.startWorker(workers[0])
    try Self.eventually("the restarted worker's blocks count again") { try Self.usedBytes(cluster) >= cachedBefore }
  }

  @Test func aQuotaSmallerThanTheDataKeepsReadsWorkingAndPinnedFilesCached() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "2MB"])
    for index in 0..<6 {
      let file = cluster.ufs.appendingPathComponent("set/part\(index).bin")
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Self.writePattern(file, size: 8 * Self.mebibyte, seed: UInt64(10 + index))
    }
    try cluster.startMaster()
    let worker = try LocalWorker(index: 0, spec: WorkerSpec(host: "127.0.0.2", memQuota: "20MB"), root: cluster.root)
    try cluster.startWorker(worker)
    #expect(try cluster.run(["fs", "pin", "/set/part0.bin"]).status == 0)
    #expect(try cluster.run(["fs", "load", "/set/part0.bin"]).status == 0)
    for round in 0..<2 {
      for index in 0..<6 {
        let out = cluster.root.appendingPathComponent("r\(round)-\(index).out")
        let cat = try ChildProcess.run(
          LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "cat", "/set/part\(index).bin"],
          environment: cluster.environment, stdoutFile: out.path)
        #expect(cat.status == 0, "\(cat.stderr)")
        #expect(try Self.md5(out) == Self.md5(cluster.ufs.appendingPathComponent("set/part\(index).bin")))
        #expect(try Self.usedBytes(cluster) <= Double(20 * Self.mebibyte))
      }
    }
    let stat = try cluster.run(["fs", "stat", "/set/part0.bin"])
    #expect(stat.stdout.contains("inGooseFSPercentage=100"), "pinned file must stay fully cached: \(stat.stdout)")
  }

  @Test func aRestartedMasterGetsItsWorkersBackAndAFormattedOneMakesThemDropTheirBlocks() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "2MB"])
    let size = 8 * Self.mebibyte
    let expected = try Self.writePattern(cluster.ufs.appendingPathComponent("kept.bin"), size: size, seed: 21)
    try cluster.startMaster()
    let worker = try LocalWorker(index: 0, spec: WorkerSpec(host: "127.0.0.2"), root: cluster.root)
    try cluster.startWorker(worker)
    #expect(try cluster.run(["fs", "load", "/kept.bin"]).status == 0)
    // The usage arrives with the block commit (numbered, so an older heartbeat cannot undo it);
    // waiting covers a commit that failed, which the next heartbeat makes up for.
    try Self.eventually("the loaded file is counted") { Self.close(try Self.usedBytes(cluster), size) }

    // kill -9 the master; the worker keeps running and re-registers with the new master process.
    cluster.killMaster()
    try cluster.startMaster()
    try cluster.waitForLiveWorkers(atLeast: 1, including: worker)
    try Self.eventually("the worker's blocks are known again") { Self.close(try Self.usedBytes(cluster), size) }
    let location = try cluster.run(["fs", "location", "/kept.bin"])
    #expect(location.stdout.contains("127.0.0.2"), "\(location.stdout)")

    // A formatted journal is a new cluster: the worker's blocks belong to nothing and go away.
    cluster.killMaster()
    #expect(try cluster.run(["formatJournal"]).status == 0)
    try cluster.startMaster()
    try Self.eventually("the worker dropped the old cluster's blocks") {
      try cluster.summary()["Live Workers"] == "1" && cluster.summary()["Used Capacity"] == "0B"
    }
    let out = cluster.root.appendingPathComponent("after-format.out")
    let cat = try ChildProcess.run(
      LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "cat", "/kept.bin"],
      environment: cluster.environment, stdoutFile: out.path)
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(try Self.md5(out) == expected)
  }

  @Test func aBlockRefusedByAFullWorkerIsWrittenToAnother() throws {
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.user.block.size.bytes.default": "4MB", "goosefs.user.file.writetype.default": "MUST_CACHE",
    ])
    try cluster.startMaster()
    // Worker 0 can hold two blocks; MUST_CACHE blocks are the only copy, so it cannot evict them.
    let small = try LocalWorker(index: 0, spec: WorkerSpec(host: "127.0.0.2", memQuota: "9MB"), root: cluster.root)
    let large = try LocalWorker(index: 1, spec: WorkerSpec(host: "127.0.0.3", memQuota: "256MB"), root: cluster.root)
    try cluster.startWorker(small)
    try cluster.startWorker(large)
    let local = cluster.root.appendingPathComponent("in.bin")
    let expected = try Self.writePattern(local, size: 48 * Self.mebibyte, seed: 31)
    let copyIn = try cluster.run(["fs", "copyFromLocal", local.path, "/only-in-cache.bin"])
    #expect(copyIn.status == 0, "\(copyIn.stdout) \(copyIn.stderr)")
    let back = cluster.root.appendingPathComponent("back.bin")
    #expect(try cluster.run(["fs", "copyToLocal", "/only-in-cache.bin", back.path]).status == 0)
    #expect(try Self.md5(back) == expected)
    let capacity = try cluster.run(["fsadmin", "report", "capacity"]).lines
    let smallUsed = capacity.firstIndex { $0.hasPrefix("127.0.0.2") }.flatMap { index in
      capacity[index + 1].split(separator: " ").dropFirst().first.map(String.init)
    }
    #expect(smallUsed.flatMap(Self.bytes).map { $0 > 0 && $0 <= Double(9 * Self.mebibyte) } == true, "\(capacity)")
  }
}
