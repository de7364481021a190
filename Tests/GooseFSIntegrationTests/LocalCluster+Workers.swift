import Foundation
import GooseFSTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Workers as real `goosefs-worker` processes. Each registers as its own loopback address
/// (127.0.0.2, 127.0.0.3, …) so that, seen from the test's clients, workers are remote unless a
/// test asks otherwise; tier folders live under the cluster's root.
struct WorkerSpec {
  var host: String
  var memQuota: String = "256MB"
  var extraProperties: [String: String] = [:]
}

final class LocalWorker: @unchecked Sendable {
  let index: Int
  let spec: WorkerSpec
  let rpcPort: Int
  let webPort: Int
  let tierFolder: URL
  var process: Process?

  init(index: Int, spec: WorkerSpec, root: URL) throws {
    self.index = index
    self.spec = spec
    rpcPort = try LoopbackPort.free()
    webPort = try LoopbackPort.free()
    tierFolder = root.appendingPathComponent("worker\(index)-mem")
    try FileManager.default.createDirectory(at: tierFolder, withIntermediateDirectories: true)
  }

  var properties: [String: String] {
    var properties = [
      "goosefs.worker.hostname": spec.host,
      "goosefs.worker.bind.host": spec.host,
      "goosefs.worker.web.bind.host": spec.host,
      "goosefs.worker.rpc.port": String(rpcPort),
      "goosefs.worker.web.port": String(webPort),
      "goosefs.worker.tieredstore.levels": "1",
      "goosefs.worker.tieredstore.level0.alias": "MEM",
      "goosefs.worker.tieredstore.level0.dirs.path": tierFolder.path,
      "goosefs.worker.tieredstore.level0.dirs.mediumtype": "MEM",
      "goosefs.worker.tieredstore.level0.dirs.quota": spec.memQuota,
      "goosefs.worker.block.heartbeat.interval": "200ms",
    ]
    properties.merge(spec.extraProperties) { _, new in new }
    return properties
  }

  var stderrFile: String { "worker\(index).stderr" }
}

extension LocalCluster {
  /// Starts a worker and waits until the master lists it as live.
  @discardableResult
  func startWorker(_ worker: LocalWorker) throws -> LocalWorker {
    let process = Process()
    process.executableURL = Self.binaries.appendingPathComponent("goosefs-worker")
    var environment = self.environment
    environment["GOOSEFS_WORKER_JAVA_OPTS"] = worker.properties.sorted { $0.key < $1.key }
      .map { "-D\($0.key)=\($0.value)" }.joined(separator: " ")
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: touch(logs.appendingPathComponent(worker.stderrFile)))
    try process.run()
    worker.process = process
    workerProcesses.append(process)
    try waitForLiveWorkers(atLeast: 1, including: worker)
    return worker
  }

  /// Starts `count` workers registered as 127.0.0.2, 127.0.0.3, … (remote to the test's clients)
  /// and waits until the master lists them all.
  func startRemoteWorkers(_ count: Int, memQuota: String) throws -> [LocalWorker] {
    let workers = try (0..<count).map {
      try LocalWorker(index: $0, spec: WorkerSpec(host: "127.0.0.\($0 + 2)", memQuota: memQuota), root: root)
    }
    for worker in workers { try startWorker(worker) }
    try waitForLiveWorkers(atLeast: count)
    return workers
  }

  /// Polls `fsadmin report capacity` until the worker is listed; bounded.
  func waitForLiveWorkers(atLeast count: Int, including worker: LocalWorker? = nil) throws {
    for _ in 0..<300 {
      if let process = worker?.process, !process.isRunning {
        throw ClusterError.masterExited(process.terminationStatus, workerStderr(worker!))
      }
      let report = try run(["fsadmin", "report", "capacity"])
      let listed = report.lines.filter { $0.hasPrefix("127.0.0.") || $0.hasPrefix("localhost") }
      if report.status == 0, listed.count >= count, worker.map({ w in listed.contains { $0.hasPrefix(w.spec.host) } }) ?? true {
        return
      }
      usleep(50_000)
    }
    throw ClusterError.notServing("workers did not register: \(worker.map(workerStderr) ?? "")")
  }

  func workerStderr(_ worker: LocalWorker) -> String {
    (try? String(contentsOf: logs.appendingPathComponent(worker.stderrFile), encoding: .utf8)) ?? ""
  }

  func killWorker(_ worker: LocalWorker) {
    guard let process = worker.process else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    worker.process = nil
  }

  /// `fsadmin report summary` as name → value (e.g. "Used Capacity" → "12.00MB").
  func summary() throws -> [String: String] {
    let report = try run(["fsadmin", "report", "summary"])
    var values: [String: String] = [:]
    for line in report.lines {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard let colon = trimmed.range(of: ": ") else { continue }
      values[String(trimmed[..<colon.lowerBound])] = String(trimmed[colon.upperBound...])
    }
    return values
  }
}
