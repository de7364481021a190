import FuseTestKit
import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// kill -9 of a worker while a client streams a file from it, at seeded byte positions: every read
/// completes with the right bytes (from the other worker's cache, or through it from the under
/// store), whether the client is the CLI over the network, the CLI by short-circuit, copyToLocal
/// or a FUSE mount; and a persist job whose source dies mid-copy still writes exactly the file's
/// bytes (after the dead worker comes back, when it held blocks nobody else had).
///
/// The reader stops consuming at the kill point, so the client's buffers fill and the worker is
/// blocked in the middle of a 64 MiB block of 4 MiB DATA frames when it dies: the client sees the
/// connection end inside a frame, which is the failure this guards against. (A client buffers up
/// to ~20 MiB ahead of its reader, so smaller blocks are often sent whole before the kill.)
@Suite(.serialized, .timeLimit(.minutes(10))) struct WorkerFailoverTests {
  static let fileSize = 160 << 20
  static let killPoints = 25

  enum Reader: CaseIterable {
    case remoteCat, shortCircuitCat, copyToLocal, fuse
    /// A persist job of an unpersisted copy of the file, killed while the under store grows.
    case persist
  }

  @Test func readsSurviveAWorkerKilledMidFrameAtSeededPoints() throws {
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.user.block.size.bytes.default": "64MB",
      "goosefs.user.network.data.transfer.chunk.size": "4MB",
    ])
    let source = cluster.ufs.appendingPathComponent("data.bin")
    let expected = try WorkerClusterTests.writePattern(source, size: Self.fileSize, seed: 42)
    try cluster.startMaster()
    let workers = try cluster.startRemoteWorkers(2, memQuota: "512MB")
    // One copy of each block, spread over both workers: a dead worker's blocks must come from
    // the under store through the other.
    #expect(try cluster.run(["fs", "distributedLoad", "--replication", "1", "/data.bin"]).status == 0)
    let mount = try cluster.mountFuse()

    // Seeded, so that a failing kill point can be replayed.
    var random = SplitMix64(seed: 20_261_206)
    for seed in 0..<Self.killPoints {
      let reader = Reader.allCases[seed % Reader.allCases.count]
      let victim = workers[(seed / Reader.allCases.count) % 2]
      let killAt = random.below(Self.fileSize - (2 << 20)) + (1 << 20)
      let out = cluster.root.appendingPathComponent("out-\(seed).bin")
      let context = "kill point \(seed): \(reader), worker \(victim.spec.host) killed at byte \(killAt)"
      if reader == .persist {
        try Self.persist(seed: seed, source: source, cluster: cluster, victim: victim, killAt: killAt, expected: expected)
        continue
      }
      let status = try Self.read(reader, cluster: cluster, mount: mount, victim: victim, killAt: killAt, into: out)
      #expect(status == 0, "\(context): exit status \(status)")
      #expect(try WorkerClusterTests.md5(out) == expected, "\(context): wrong bytes")
      try? FileManager.default.removeItem(at: out)
      try cluster.startWorker(victim)
      try cluster.waitForLiveWorkers(atLeast: 2)
    }
    _ = mount.terminate()
  }

  /// Data held only by a dead worker: a read of the unpersisted file fails with an error naming
  /// it (on stderr, nothing but file bytes on stdout) while persisted files keep reading; a persist
  /// job whose worker is killed is handed out again when that worker comes back as a new process,
  /// and the under store then gets exactly the file's bytes.
  @Test func onlyUnpersistedDataOfADeadWorkerFailsAndItsPersistJobSurvivesTheKill() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "4MB"])
    let persisted = cluster.ufs.appendingPathComponent("data.bin")
    let persistedMD5 = try WorkerClusterTests.writePattern(persisted, size: 12 << 20, seed: 5)
    try cluster.startMaster()
    let workers = try cluster.startRemoteWorkers(2, memQuota: "256MB")
    let victim = workers[0]
    // Written from the victim's host, so every block goes to the victim (local first).
    var onVictim = cluster.environment
    onVictim["GOOSEFS_USER_JAVA_OPTS"] =
      "-Dgoosefs.user.hostname=\(victim.spec.host) -Dgoosefs.user.file.writetype.default=MUST_CACHE"
    for name in ["alone", "topersist"] {
      let local = cluster.root.appendingPathComponent("\(name).local")
      try WorkerClusterTests.writePattern(local, size: 10 << 20, seed: 9)
      let output = try ChildProcess.run(
        LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "copyFromLocal", local.path, "/\(name).bin"],
        environment: onVictim)
      #expect(output.status == 0, "copyFromLocal: \(output.stdout) \(output.stderr)")
    }
    let expected = try WorkerClusterTests.md5(cluster.root.appendingPathComponent("topersist.local"))

    let persist = Process()
    persist.executableURL = LocalCluster.binaries.appendingPathComponent("goosefs")
    persist.arguments = ["fs", "persist", "/topersist.bin"]
    persist.environment = cluster.environment
    persist.standardOutput = FileHandle.nullDevice
    persist.standardError = FileHandle.nullDevice
    try persist.run()
    cluster.killWorker(victim)

    let lost = try cluster.run(["fs", "cat", "/alone.bin"])
    #expect(lost.status != 0)
    #expect(lost.stdout.isEmpty, "no error text in the data stream")
    #expect(lost.stderr.contains("/alone.bin"), "the error names the file: \(lost.stderr)")
    let out = cluster.root.appendingPathComponent("data.out")
    #expect(try cluster.runToFile(["fs", "cat", "/data.bin"], output: out) == 0)
    #expect(try WorkerClusterTests.md5(out) == persistedMD5)

    try cluster.startWorker(victim)
    persist.waitUntilExit()
    try WorkerClusterTests.eventually("the persist completes after the worker came back") {
      let stat = try cluster.run(["fs", "stat", "/topersist.bin"]).stdout
      return stat.contains("PERSISTED") && !stat.contains("TO_BE_PERSISTED")
    }
    #expect(try WorkerClusterTests.md5(cluster.ufs.appendingPathComponent("topersist.bin")) == expected)
  }

  /// Writes an unpersisted (MUST_CACHE) copy of the file, spread over both workers, persists it and
  /// kills `victim` once the under store's temporary file holds `killAt` bytes. The job either
  /// finishes from the other copies or, when the victim held blocks alone, once the victim is back
  /// (a new process is handed the job again); the under store never gets other bytes.
  static func persist(
    seed: Int, source: URL, cluster: LocalCluster, victim: LocalWorker, killAt: Int, expected: String
  ) throws {
    let name = "persist\(seed).bin"
    var writer = clientEnvironment(cluster, host: "127.0.0.9")
    writer["GOOSEFS_USER_JAVA_OPTS"] = "-Dgoosefs.user.hostname=127.0.0.9 -Dgoosefs.user.file.writetype.default=MUST_CACHE"
    let copy = try ChildProcess.run(
      LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "copyFromLocal", source.path, "/" + name],
      environment: writer)
    #expect(copy.status == 0, "copyFromLocal: \(copy.stdout) \(copy.stderr)")
    let persist = try cluster.start(["fs", "persist", "/" + name])
    let grown = { () -> Bool in
      let names = (try? FileManager.default.contentsOfDirectory(atPath: cluster.ufs.path)) ?? []
      return names.contains { $0 == name || ($0.contains(name) && fileSize(cluster.ufs.appendingPathComponent($0)) >= killAt) }
    }
    while persist.isRunning, !grown() { usleep(1_000) }
    cluster.killWorker(victim)
    try cluster.startWorker(victim)
    try cluster.waitForLiveWorkers(atLeast: 2)
    persist.waitUntilExit()
    try WorkerClusterTests.eventually("kill point \(seed): /\(name) is persisted") {
      let stat = try cluster.run(["fs", "stat", "/" + name]).stdout
      return stat.contains("PERSISTED") && !stat.contains("TO_BE_PERSISTED")
    }
    #expect(try WorkerClusterTests.md5(cluster.ufs.appendingPathComponent(name)) == expected, "kill point \(seed): persisted bytes")
  }

  /// Reads the whole file with `reader`, killing `victim` once `killAt` bytes have arrived.
  static func read(
    _ reader: Reader, cluster: LocalCluster, mount: FuseMount, victim: LocalWorker, killAt: Int, into out: URL
  ) throws -> Int32 {
    switch reader {
    case .remoteCat:
      return try streamThroughPipe(
        LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "cat", "/data.bin"],
        environment: clientEnvironment(cluster, host: "127.0.0.9"), cluster: cluster, victim: victim, killAt: killAt,
        into: out)
    case .shortCircuitCat:
      // The client shares the victim's host name: the victim's blocks are read from its tier files.
      return try streamThroughPipe(
        LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "cat", "/data.bin"],
        environment: clientEnvironment(cluster, host: victim.spec.host), cluster: cluster, victim: victim,
        killAt: killAt, into: out)
    case .fuse:
      return try streamThroughPipe(
        URL(fileURLWithPath: "/bin/cat"), [mount.mountPoint.appendingPathComponent("data.bin").path],
        environment: ProcessInfo.processInfo.environment, cluster: cluster, victim: victim, killAt: killAt, into: out)
    case .persist:
      preconditionFailure("persist is not a read")
    case .copyToLocal:
      let process = Process()
      process.executableURL = LocalCluster.binaries.appendingPathComponent("goosefs")
      process.arguments = ["fs", "copyToLocal", "/data.bin", out.path]
      process.environment = clientEnvironment(cluster, host: "127.0.0.9")
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      // copyToLocal writes a file, not a pipe the test could stop reading: the kill lands when
      // the file has grown past the kill point.
      while process.isRunning, fileSize(out) < killAt { usleep(1_000) }
      cluster.killWorker(victim)
      process.waitUntilExit()
      return process.terminationStatus
    }
  }

  /// Runs the reader with stdout into a pipe, copies the pipe into `out`, and at `killAt` bytes
  /// stops reading and kills the victim before reading on.
  static func streamThroughPipe(
    _ executable: URL, _ arguments: [String], environment: [String: String], cluster: LocalCluster,
    victim: LocalWorker, killAt: Int, into out: URL
  ) throws -> Int32 {
    let pipe = Pipe()
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    let sink = try FileHandle(forWritingTo: out)
    defer { try? sink.close() }
    var received = 0
    var killed = false
    while let chunk = try pipe.fileHandleForReading.read(upToCount: 256 << 10), !chunk.isEmpty {
      sink.write(chunk)
      received += chunk.count
      if !killed, received >= killAt {
        cluster.killWorker(victim)
        killed = true
      }
    }
    process.waitUntilExit()
    if !killed { cluster.killWorker(victim) }
    return process.terminationStatus
  }

  static func clientEnvironment(_ cluster: LocalCluster, host: String) -> [String: String] {
    var environment = cluster.environment
    environment["GOOSEFS_USER_JAVA_OPTS"] = "-Dgoosefs.user.hostname=\(host)"
    return environment
  }

  static func fileSize(_ url: URL) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
  }
}
