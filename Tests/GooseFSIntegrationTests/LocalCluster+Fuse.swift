import Foundation
import GooseFSTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A real `goosefs-fuse mount -f` process and its kernel mount. Killed and lazily unmounted when
/// dropped, so a failing test leaves no mount behind.
final class FuseMount: @unchecked Sendable {
  let mountPoint: URL
  let process: Process
  let logFile: URL

  init(mountPoint: URL, process: Process, logFile: URL) {
    self.mountPoint = mountPoint
    self.process = process
    self.logFile = logFile
  }

  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    umount2(mountPoint.path, Int32(MNT_DETACH))
  }

  var path: String { mountPoint.path }

  var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

  /// The mountinfo type field of our mount point (the newest mount on it), or nil.
  var mountType: String? { Self.mounts(at: mountPoint.path).last?.type }

  /// Mount ids and types at `path`, oldest first.
  static func mounts(at path: String) -> [(id: String, type: String)] {
    guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
    var result: [(id: String, type: String)] = []
    for line in table.split(separator: "\n") {
      let fields = line.split(separator: " ").map(String.init)
      guard fields.count > 5, fields[4] == path, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else {
        continue
      }
      result.append((fields[0], fields[dash + 1]))
    }
    return result
  }

  /// SIGTERM, as Kubernetes stops the container; returns the exit status.
  @discardableResult
  func terminate() -> Int32 {
    process.terminate()
    process.waitUntilExit()
    return process.terminationStatus
  }

  func kill9() {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }
}

extension LocalCluster {
  /// A worker on this host (127.0.0.1, so the FUSE client reads its blocks by short-circuit).
  @discardableResult
  func startLocalWorker(memQuota: String = "1GB") throws -> LocalWorker {
    try startWorker(LocalWorker(index: workerProcesses.count, spec: WorkerSpec(host: "127.0.0.1", memQuota: memQuota), root: root))
  }

  /// Mounts `goosefsPath` at a new folder under the cluster root and waits until the kernel lists
  /// the mount (bounded; a daemon that exits first fails the test with its log).
  func mountFuse(
    options: String = "allow_other", goosefsPath: String = "/", properties: [String: String] = [:],
    at mountPoint: URL? = nil
  ) throws -> FuseMount {
    let folder = mountPoint ?? root.appendingPathComponent("mnt-\(UUID().uuidString.prefix(6))")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // A stale mount of a killed daemon may be there already: wait for a new one.
    let before = Set(FuseMount.mounts(at: folder.path).map(\.id))
    let logFile = try touch(logs.appendingPathComponent("fuse-\(folder.lastPathComponent).stderr"))
    let process = Process()
    process.executableURL = Self.binaries.appendingPathComponent("goosefs-fuse")
    process.arguments = ["mount", "-f", "-o", options, folder.path, goosefsPath]
    var environment = self.environment
    environment["GOOSEFS_FUSE_JAVA_OPTS"] = properties.sorted { $0.key < $1.key }
      .map { "-D\($0.key)=\($0.value)" }.joined(separator: " ")
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: logFile)
    try process.run()
    let mount = FuseMount(mountPoint: folder, process: process, logFile: logFile)
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if FuseMount.mounts(at: folder.path).contains(where: { !before.contains($0.id) }) { return mount }
      guard process.isRunning else { throw ClusterError.toolFailed("goosefs-fuse", mount.log) }
      usleep(20_000)
    }
    throw ClusterError.toolFailed("goosefs-fuse (not mounted within 60 s)", mount.log)
  }

  /// Runs `goosefs-fuse <arguments>` (unmount, stat) and collects its output.
  func runFuseCommand(_ arguments: [String]) throws -> Result {
    let output = try ChildProcess.run(
      Self.binaries.appendingPathComponent("goosefs-fuse"), arguments, environment: environment)
    return Result(status: output.status, stdout: output.stdout, stderr: output.stderr)
  }
}
