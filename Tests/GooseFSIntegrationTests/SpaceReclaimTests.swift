import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Space on workers is never leaked: blocks of files removed while their worker was down come
/// back once it registers again, and a tier full of blocks that cannot be evicted is reported as
/// full (the worker and tier named; ENOSPC through FUSE), not as "no workers".
@Suite(.serialized, .timeLimit(.minutes(3))) struct SpaceReclaimTests {
  static let mebibyte = 1 << 20

  /// Block files (named by their id) in a worker's tier folder.
  static func blockFiles(_ worker: LocalWorker) -> [String] {
    let folder = worker.tierFolder.appendingPathComponent("goosefsworker").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { Int64($0) != nil }.sorted()
  }

  /// Used bytes of one worker as the master reports them, nil while it is not registered.
  static func usedBytes(of worker: LocalWorker, in cluster: LocalCluster) throws -> Double? {
    let report = try cluster.run(["fsadmin", "report", "capacity", "-workers", "\(worker.spec.host):\(worker.rpcPort)"])
    guard report.status == 0, let line = report.lines.first(where: { $0.contains("Used Capacity: ") }) else { return nil }
    return WorkerClusterTests.bytes(String(line.split(separator: " ").last ?? ""))
  }

  func copyIn(_ cluster: LocalCluster, size: Int, to path: String, seed: UInt64, writeType: String? = nil) throws
    -> LocalCluster.Result
  {
    let local = cluster.root.appendingPathComponent("in-\(seed).bin")
    try WorkerClusterTests.writePattern(local, size: size, seed: seed)
    let options = writeType.map { ["GOOSEFS_USER_JAVA_OPTS": "-Dgoosefs.user.file.writetype.default=\($0)"] } ?? [:]
    return try cluster.run(["fs", "copyFromLocal", local.path, path], extraEnvironment: options)
  }

  @Test func blocksOfFilesRemovedWhileTheirWorkerWasDownAreDeletedWhenItComesBack() throws {
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.user.block.size.bytes.default": "4MB", "goosefs.user.file.writetype.default": "MUST_CACHE",
    ])
    try cluster.startMaster()
    // This worker never heartbeats after registering: the persist of /async is never handed
    // out and the frees of the removals below never reach it, as if it were already down.
    let first = try LocalWorker(
      index: 0,
      spec: WorkerSpec(host: "127.0.0.2", memQuota: "64MB", extraProperties: ["goosefs.worker.block.heartbeat.interval": "1h"]),
      root: cluster.root)
    try cluster.startWorker(first)
    for (path, size, seed, type) in [("/kept", 4, 1, "MUST_CACHE"), ("/gone", 8, 2, "MUST_CACHE"), ("/async", 8, 3, "ASYNC_THROUGH")] {
      let copy = try copyIn(cluster, size: size * Self.mebibyte, to: path, seed: UInt64(seed), writeType: type)
      #expect(copy.status == 0, "\(copy.stdout) \(copy.stderr)")
    }
    #expect(try cluster.run(["fs", "stat", "/async"]).stdout.contains("TO_BE_PERSISTED"))
    #expect(Self.blockFiles(first).count == 5)

    cluster.killWorker(first)
    for path in ["/gone", "/async"] {
      let rm = try cluster.run(["fs", "rm", path])
      #expect(rm.status == 0, "\(rm.stdout) \(rm.stderr)")
    }
    // The same tier folder, as a restarted worker finds it (new ports: a new worker id).
    let second = try LocalWorker(index: 0, spec: WorkerSpec(host: "127.0.0.2", memQuota: "64MB"), root: cluster.root)
    try cluster.startWorker(second)
    try WorkerClusterTests.eventually("the worker holds only /kept's block and reports 4 MB used") {
      let used = try Self.usedBytes(of: second, in: cluster)
      return Self.blockFiles(second).count == 1 && used.map { WorkerClusterTests.close($0, 4 * Self.mebibyte) } == true
    }
    #expect(!cluster.ufsExists("async"), "a removed file is not persisted")
    #expect(try cluster.run(["fs", "ls", "/kept"]).stdout.contains("100%"), "the kept file is still cached")
    #expect(cluster.masterStderr.contains("blocks no file references"))
  }

  @Test func aTierFullOfBlocksThatCannotBeEvictedRefusesWritesNamingTheWorkerAndTier() throws {
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.user.block.size.bytes.default": "4MB", "goosefs.user.file.writetype.default": "MUST_CACHE",
    ])
    try cluster.startMaster()
    let worker = try cluster.startLocalWorker(memQuota: "8MB")
    let fill = try copyIn(cluster, size: 8 * Self.mebibyte, to: "/fill", seed: 4)
    #expect(fill.status == 0, "\(fill.stdout) \(fill.stderr)")

    // Not persisted, so not evictable: the next block has nowhere to go.
    let more = try copyIn(cluster, size: 4 * Self.mebibyte, to: "/more", seed: 5)
    let text = more.stdout + more.stderr
    #expect(more.status != 0)
    #expect(text.contains("Worker 127.0.0.1:\(worker.rpcPort) cannot store block 0 of /more"), "\(text)")
    #expect(text.contains("in tier MEM"), "\(text)")
    #expect(!text.contains("no workers are registered"), "\(text)")
    #expect(try cluster.run(["fs", "ls", "/more"]).status != 0, "the failed file is removed")

    guard FuseLifecycleTests.canMount else { return }
    let mount = try cluster.mountFuse()
    #expect(Self.writeThroughMount(mount.path + "/fuse-more", bytes: 4 * Self.mebibyte) == ENOSPC, "\(mount.log)")
    // The failed writes left nothing behind: the tier still holds just /fill.
    try WorkerClusterTests.eventually("only /fill's two blocks are stored") { Self.blockFiles(worker).count == 2 }
  }

  /// Writes `bytes` to a new file and closes it; returns the first errno (0 when all succeeded).
  static func writeThroughMount(_ path: String, bytes: Int) -> Int32 {
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
    guard fd >= 0 else { return errno }
    let chunk = [UInt8](repeating: 7, count: mebibyte)
    var failure: Int32 = 0
    for _ in 0..<(bytes / mebibyte) where failure == 0 {
      if chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) < 0 { failure = errno }
    }
    if close(fd) != 0, failure == 0 { failure = errno }
    return failure
  }
}
