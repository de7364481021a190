import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What a mount answers without a round trip (docs/fuse.md, "Round trips per operation"): names in
/// a folder it listed or created, files it created or completed, and cached small files read
/// under short-circuit leases it keeps. Real processes, the kernel in between.
@Suite(.serialized, .timeLimit(.minutes(10))) struct FuseRoundTripTests {
  static var canMount: Bool { FuseLifecycleTests.canMount }

  /// The metadata cache on with a short lifetime, kernel caches shorter still, so that what the
  /// mount itself answers is what the test sees.
  static let properties = [
    "goosefs.user.metadata.cache.enabled": "true",
    "goosefs.user.metadata.cache.expiration.time": "5s",
    "goosefs.user.rpc.retry.max.duration": "2s",
    "goosefs.user.short.circuit.lease.idle.time": "1s",
  ]
  static let options = "allow_other,entry_timeout=0.2,attr_timeout=0.2"

  static func exists(_ path: String) -> Int32 {
    var info = Glibc.stat()
    return lstat(path, &info) == 0 ? 0 : errno
  }

  static func pattern(_ size: Int, seed: UInt8) -> Data {
    Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 9)) })
  }

  @Test(.enabled(if: canMount)) func missingNamesInAKnownFolderAreAnsweredWithoutTheMasterUntilTheCacheExpires() throws {
    let cluster = try LocalCluster()
    chmod(cluster.root.path, 0o755)
    let folder = cluster.ufs.appendingPathComponent("d")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let small = Self.pattern(4096, seed: 1)
    try small.write(to: folder.appendingPathComponent("present"))
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(options: Self.options, properties: Self.properties)
    let d = mount.path + "/d"

    // The first lookup lists the folder; from then on the mount knows it completely.
    #expect(Self.exists(d + "/present") == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: d + "/present")) == small)  // cached on the worker now
    #expect(Self.exists(d + "/missing") == ENOENT)
    // Changes made through the mount keep the folder complete.
    _ = FileManager.default.createFile(atPath: d + "/created", contents: Self.pattern(1000, seed: 2))
    #expect(mkdir(d + "/sub", 0o755) == 0)
    #expect(rename(d + "/created", d + "/sub/moved") == 0)
    _ = FileManager.default.createFile(atPath: d + "/gone", contents: Data([1, 2, 3]))
    #expect(unlink(d + "/gone") == 0)

    // With the master down, everything the mount knows still answers, and answers right.
    cluster.killMaster()
    #expect(Self.exists(d + "/present") == 0)
    #expect(Self.exists(d + "/missing") == ENOENT, "a listed folder answers missing names itself")
    #expect(Self.exists(d + "/gone") == ENOENT, "an unlink here keeps the folder complete")
    #expect(Self.exists(d + "/created") == ENOENT, "the source of a rename is gone")
    #expect(Self.exists(d + "/sub/moved") == 0, "the destination of a rename is known")
    #expect(Self.exists(d + "/sub/nothing") == ENOENT, "a folder created here is complete")
    #expect(try Data(contentsOf: URL(fileURLWithPath: d + "/present")) == small, "a cached small file reads without the master")

    // Another client's create shows once the cache's lifetime (5 s) and the kernel's entry
    // timeout have passed, not before the master says so.
    try cluster.startMaster()
    try cluster.run(["fs", "touch", "/d/late"])
    let created = ContinuousClock.now
    #expect(Self.exists(d + "/late") == ENOENT, "answered from the listing taken before the create")
    let seconds = try BoundedWait.until("another client's file through the mount", bound: 5 + 0.2 + 1, since: created) {
      Self.exists(d + "/late") == 0 ? nil : "stat says errno \(Self.exists(d + "/late"))"
    }
    print("another client's create visible after \(seconds) s")
    withExtendedLifetime(mount) {}
  }

  /// Once the mount learned where the local worker keeps block files, a cached small file is
  /// opened, read and closed with no exchange at all: it reads right with the master killed and
  /// the worker frozen (a read that asked either would hang until the child's timeout).
  @Test(.enabled(if: canMount)) func cachedSmallFilesAreReadFromBlockFilesWithTheMasterDownAndTheWorkerFrozen() throws {
    let cluster = try LocalCluster()
    chmod(cluster.root.path, 0o755)
    let folder = cluster.ufs.appendingPathComponent("small")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let names = (0..<20).map { "f\($0)" }
    var contents: [String: Data] = [:]
    for (index, name) in names.enumerated() {
      contents[name] = Self.pattern(3000 * (index + 1), seed: UInt8(index))
      try contents[name]!.write(to: folder.appendingPathComponent(name))
    }
    try cluster.startMaster()
    let worker = try cluster.startLocalWorker()
    var properties = Self.properties
    properties["goosefs.user.metadata.cache.expiration.time"] = "10min"
    // One idle lease at most: the files cannot be read under leases kept from the warm pass.
    properties["goosefs.user.short.circuit.leases.max"] = "1"
    let mount = try cluster.mountFuse(options: Self.options, properties: properties)
    // Cold (cached by the worker), then warm (the first lease names the worker's block folder).
    for _ in 0..<2 {
      for name in names { #expect(try Data(contentsOf: URL(fileURLWithPath: "\(mount.path)/small/\(name)")) == contents[name]) }
    }

    cluster.killMaster()
    let pid = try #require(worker.process?.processIdentifier)
    kill(pid, SIGSTOP)
    defer { kill(pid, SIGCONT) }
    let expected = try LocalCluster.runTool("/usr/bin/md5sum", names.map { folder.appendingPathComponent($0).path })
    let read = try LocalCluster.runTool(
      "/usr/bin/timeout", ["30", "/usr/bin/md5sum"] + names.map { "\(mount.path)/small/\($0)" })
    #expect(
      read.split(separator: "\n").map { $0.prefix(32) } == expected.split(separator: "\n").map { $0.prefix(32) },
      "\(mount.log.suffix(2000))")
    withExtendedLifetime(mount) {}
  }

  /// Small files cached on a worker of another host are read from what the folder's listing
  /// said (their blocks and where they are), one exchange with that worker per read and none
  /// with the master: they read right with the master killed. A listing without locations would
  /// send every open to the master (EIO here).
  @Test(.enabled(if: canMount)) func smallFilesOnARemoteWorkerAreReadFromTheirListingWithTheMasterDown() throws {
    let cluster = try LocalCluster()
    chmod(cluster.root.path, 0o755)
    let folder = cluster.ufs.appendingPathComponent("small")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // Up to 300 KB: a file takes several reads, each its own exchange.
    let names = (0..<20).map { "f\($0)" }
    for (index, name) in names.enumerated() {
      try Self.pattern(15_000 * (index + 1), seed: UInt8(index)).write(to: folder.appendingPathComponent(name))
    }
    try cluster.startMaster()
    _ = try cluster.startWorker(LocalWorker(index: 0, spec: WorkerSpec(host: "127.0.0.2"), root: cluster.root))
    let load = try cluster.run(["fs", "load", "/small"])
    try #require(load.status == 0, "\(load.stdout)\(load.stderr)")
    var properties = Self.properties
    properties["goosefs.user.metadata.cache.expiration.time"] = "10min"
    let mount = try cluster.mountFuse(options: Self.options, properties: properties)
    #expect(try FileManager.default.contentsOfDirectory(atPath: "\(mount.path)/small").sorted() == names.sorted())

    cluster.killMaster()
    let expected = try LocalCluster.runTool("/usr/bin/md5sum", names.map { folder.appendingPathComponent($0).path })
    let read = try LocalCluster.runTool(
      "/usr/bin/timeout", ["60", "/usr/bin/md5sum"] + names.map { "\(mount.path)/small/\($0)" })
    #expect(
      read.split(separator: "\n").map { $0.prefix(32) } == expected.split(separator: "\n").map { $0.prefix(32) },
      "\(mount.log.suffix(2000))")
    withExtendedLifetime(mount) {}
  }

  @Test(.enabled(if: canMount)) func reusedShortCircuitLeasesSurviveAFreedBlockAWorkerRestartAndAnOverwrite() throws {
    let cluster = try LocalCluster()
    chmod(cluster.root.path, 0o755)
    let first = Self.pattern(128 << 10, seed: 3)
    try first.write(to: cluster.ufs.appendingPathComponent("f"))
    try cluster.startMaster()
    let worker = try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(options: Self.options, properties: Self.properties)
    let file = URL(fileURLWithPath: mount.path + "/f")

    // Cold, then warm: the later opens reuse the lease the first warm one took.
    for _ in 0..<20 { #expect(try Data(contentsOf: file) == first) }

    // Freed on the worker while this client holds an idle lease: the block goes once the lease
    // is given back (idle time 1 s); reads before and after get the same bytes.
    try cluster.run(["fs", "free", "/f"])
    for _ in 0..<5 { #expect(try Data(contentsOf: file) == first) }
    let freed = ContinuousClock.now
    _ = try BoundedWait.until("the freed block read again", bound: 5, since: freed) {
      try Data(contentsOf: file) == first ? nil : "wrong bytes"
    }

    // A worker killed and restarted on the same tier folder: the lease connection is gone; the
    // next open takes a new lease (or reads over the network) with the same bytes.
    cluster.killWorker(worker)
    try cluster.startWorker(worker)
    for _ in 0..<5 { #expect(try Data(contentsOf: file) == first) }

    // Another client replaces the file: new blocks, so no old lease can serve it; the mount
    // shows the new bytes once its cached status expired.
    let second = Self.pattern(128 << 10, seed: 4)
    let local = cluster.root.appendingPathComponent("second")
    try second.write(to: local)
    try cluster.run(["fs", "rm", "/f"])
    try cluster.run(["fs", "copyFromLocal", local.path, "/f"])
    let replaced = ContinuousClock.now
    _ = try BoundedWait.until("the replaced file through the mount", bound: 5 + 0.2 + 1, since: replaced) {
      let bytes = try Data(contentsOf: file)
      if bytes == second { return nil }
      // Before the bound the mount may still show the old version, never anything else.
      if bytes != first { Issue.record("bytes of neither version (\(bytes.count) bytes)") }
      return "still the old version"
    }
    withExtendedLifetime(mount) {}
  }
}
