import Dispatch
import Foundation
import GooseFSCore
import GooseFSTestSupport
import GooseFSWorker
import Logging
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A disk whose fsync takes as long as the test says: block commits hold I/O threads while other
/// clients read cached blocks, and those reads must not wait for them.
///
/// The worker runs in this process (so the test can hold its fsyncs through the store's test hook)
/// against a real master process; clients are real `goosefs` processes. More fsyncs are held than
/// the cooperative pool has threads: if the store's file work ran there (as it once did), every
/// async task of the worker would stall and the reads below would hang until the time limit.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SlowDiskTests {
  @Test func readsOfCachedBlocksAreNotDelayedByAHeldFsync() async throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "4MB"])
    let source = cluster.ufs.appendingPathComponent("cached.bin")
    let expected = try WorkerClusterTests.writePattern(source, size: 12 << 20, seed: 11)
    try cluster.startMaster()

    let held = ProcessInfo.processInfo.activeProcessorCount + 1
    let gate = FsyncGate()
    let worker = try InProcessWorker(cluster: cluster, ioThreads: held + 4, gate: gate)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await worker.run() }
      defer { group.cancelAll() }
      try await offPool { try cluster.waitForLiveWorkers(atLeast: 1) }
      #expect(try await offPool { try cluster.run(["fs", "load", "/cached.bin"]).status } == 0)

      // Writers whose block commits now hang in fsync, one I/O thread each.
      gate.arm()
      let writers = try (0..<held).map { index in
        let file = cluster.root.appendingPathComponent("new\(index).bin")
        try WorkerClusterTests.writePattern(file, size: 1 << 20, seed: UInt64(100 + index))
        return try cluster.start(
          ["fs", "copyFromLocal", file.path, "/new\(index).bin"],
          extraEnvironment: ["GOOSEFS_USER_JAVA_OPTS": "-Dgoosefs.user.file.writetype.default=MUST_CACHE"])
      }
      try await offPool { try gate.waitUntilHeld(held, timeout: 60) }

      for round in 0..<5 {
        let out = cluster.root.appendingPathComponent("read\(round).bin")
        let status = try await offPool { try cluster.runToFile(["fs", "cat", "/cached.bin"], output: out) }
        #expect(status == 0)
        #expect(try WorkerClusterTests.md5(out) == expected)
      }
      // Still held: the reads above completed while every writer's fsync was stuck.
      #expect(gate.heldCount == held)
      #expect(writers.filter(\.isRunning).count == held)

      gate.release()
      for writer in writers {
        try await offPool { writer.waitUntilExit() }
        #expect(writer.terminationStatus == 0)
      }
    }
  }
}

/// The store's `beforeSync` hook: once armed, each fsync waits until `release`.
final class FsyncGate: @unchecked Sendable {
  // Guarded by `changed`.
  private var armed = false
  private var held = 0
  private let changed = NSCondition()

  var heldCount: Int {
    changed.lock()
    defer { changed.unlock() }
    return held
  }

  func arm() {
    changed.lock()
    armed = true
    changed.unlock()
  }

  /// Called on a worker I/O thread right before an fsync.
  func enter(_ blockID: Int64) {
    changed.lock()
    defer { changed.unlock() }
    guard armed else { return }
    held += 1
    changed.broadcast()
    while armed { changed.wait() }
    held -= 1
  }

  func waitUntilHeld(_ count: Int, timeout seconds: Double) throws {
    let deadline = Date(timeIntervalSinceNow: seconds)
    changed.lock()
    defer { changed.unlock() }
    while held < count {
      guard changed.wait(until: deadline) else {
        throw GooseFSError(.deadlineExceeded, "only \(held) of \(count) fsyncs arrived in \(seconds) s")
      }
    }
  }

  func release() {
    changed.lock()
    armed = false
    changed.broadcast()
    changed.unlock()
  }
}

/// `goosefs-worker`'s process, run as a library in the test process with a store test hook.
struct InProcessWorker: Sendable {
  let process: WorkerProcess

  init(cluster: LocalCluster, ioThreads: Int, gate: FsyncGate) throws {
    let tier = cluster.root.appendingPathComponent("inprocess-mem")
    try FileManager.default.createDirectory(at: tier, withIntermediateDirectories: true)
    var properties = [
      "goosefs.master.hostname": "127.0.0.1",
      "goosefs.master.rpc.port": String(cluster.rpcPort),
      "goosefs.worker.hostname": "127.0.0.2",
      "goosefs.worker.bind.host": "127.0.0.2",
      "goosefs.worker.web.bind.host": "127.0.0.2",
      "goosefs.worker.rpc.port": String(try LoopbackPort.free()),
      "goosefs.worker.web.port": String(try LoopbackPort.free()),
      "goosefs.worker.tieredstore.levels": "1",
      "goosefs.worker.tieredstore.level0.alias": "MEM",
      "goosefs.worker.tieredstore.level0.dirs.path": tier.path,
      "goosefs.worker.tieredstore.level0.dirs.mediumtype": "MEM",
      "goosefs.worker.tieredstore.level0.dirs.quota": "256MB",
      "goosefs.worker.block.heartbeat.interval": "200ms",
      "goosefs.worker.block.io.threads": String(ioThreads),
    ]
    properties.merge(cluster.extraProperties) { current, _ in current }
    process = WorkerProcess(
      configuration: Configuration(properties: properties),
      logger: Logger(label: "in-process-worker") { _ in SwiftLogNoOpLogHandler() },
      storeOptions: .init(syncOnCommit: true, beforeSync: { gate.enter($0) }))
  }

  func run() async throws { try await process.run() }
}

/// Runs blocking test code (child processes, condition waits) on a thread of its own, so it never
/// occupies the cooperative pool the in-process worker needs.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Result { try body() }) }.start()
  }
}

extension LocalCluster {
  /// Starts `goosefs <arguments>` without waiting for it (its output is discarded).
  func start(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = Self.binaries.appendingPathComponent("goosefs")
    process.arguments = arguments
    process.environment = environment.merging(extraEnvironment) { _, new in new }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Runs `goosefs <arguments>` with stdout into `output`; returns the exit status.
  func runToFile(_ arguments: [String], output: URL, extraEnvironment: [String: String] = [:]) throws -> Int32 {
    let process = Process()
    process.executableURL = Self.binaries.appendingPathComponent("goosefs")
    process.arguments = arguments
    process.environment = environment.merging(extraEnvironment) { _, new in new }
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}
