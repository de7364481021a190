import Foundation
import GooseFSTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Real processes on loopback: a `goosefs-master` started from the built binary, and the `goosefs`
/// CLI run as a separate process, both configured only through GOOSEFS_JAVA_OPTS.
final class LocalCluster: @unchecked Sendable {
  let root: URL
  let ufs: URL
  let journal: URL
  let logs: URL
  let rpcPort: Int
  let webPort: Int
  var extraProperties: [String: String]
  private(set) var master: Process?
  /// Every worker process started, killed with the cluster.
  var workerProcesses: [Process] = []

  init(extraProperties: [String: String] = [:]) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("goosefs-it-\(UUID().uuidString.prefix(8))")
    ufs = root.appendingPathComponent("ufs")
    journal = root.appendingPathComponent("journal")
    logs = root.appendingPathComponent("logs")
    for folder in [ufs, logs] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    rpcPort = try LoopbackPort.free()
    webPort = try LoopbackPort.free()
    self.extraProperties = extraProperties
  }

  deinit {
    if let master, master.isRunning { kill(master.processIdentifier, SIGKILL) }
    for worker in workerProcesses where worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
    try? FileManager.default.removeItem(at: root)
  }

  /// Where `swift build` put the executables: next to the test bundle.
  static let binaries: URL = {
    if let override = ProcessInfo.processInfo.environment["GOOSEFS_BIN_DIR"] {
      return URL(fileURLWithPath: override)
    }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("goosefs-master").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
  }()

  var javaOpts: String {
    var properties = [
      "goosefs.master.hostname": "127.0.0.1",
      "goosefs.master.rpc.port": String(rpcPort),
      "goosefs.master.web.port": String(webPort),
      "goosefs.master.journal.type": "UFS",
      "goosefs.master.journal.folder": journal.path,
      "goosefs.master.mount.table.root.ufs": ufs.path,
      "goosefs.logs.dir": logs.path,
      "goosefs.user.rpc.retry.max.duration": "20s",
    ]
    properties.merge(extraProperties) { _, new in new }
    return properties.sorted { $0.key < $1.key }.map { "-D\($0.key)=\($0.value)" }.joined(separator: " ")
  }

  var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["GOOSEFS_JAVA_OPTS"] = javaOpts
    environment["GOOSEFS_HOME"] = root.path
    environment.removeValue(forKey: "GOOSEFS_CONF_DIR")
    return environment
  }

  /// Starts the master and waits until it answers `fsadmin report`.
  func startMaster() throws {
    let process = Process()
    process.executableURL = Self.binaries.appendingPathComponent("goosefs-master")
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try masterLog()
    try process.run()
    master = process
    try waitUntilServing()
  }

  /// A master forked now and made to run by `startHeldMaster`. A process started while this one
  /// holds files open on a FUSE mount inherits those descriptors, and the kernel flushes each
  /// copy when exec closes it: with the master down, those flushes wait for the very master the
  /// child was to become, until the daemon's retries give up (minutes). A shell forked before
  /// the files were opened holds none of them.
  struct HeldMaster {
    let process: Process
    let go: FileHandle
  }

  func holdMasterStart() throws -> HeldMaster {
    let pipe = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    // No line (the test process died first): the shell exits instead of starting a master.
    process.arguments = ["-c", "read go && exec \"$0\"", Self.binaries.appendingPathComponent("goosefs-master").path]
    process.environment = environment
    process.standardInput = pipe
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try masterLog()
    try process.run()
    return HeldMaster(process: process, go: pipe.fileHandleForWriting)
  }

  func startHeldMaster(_ held: HeldMaster) throws {
    try held.go.write(contentsOf: Data("go\n".utf8))
    try held.go.close()
    master = held.process
    try waitUntilServing()
  }

  /// The master's stderr, appended to: a restarted master's lines follow the killed one's.
  private func masterLog() throws -> FileHandle {
    let log = try FileHandle(forWritingTo: touch(logs.appendingPathComponent("master.stderr")))
    try log.seekToEnd()
    return log
  }

  func touch(_ url: URL) throws -> URL {
    if !FileManager.default.fileExists(atPath: url.path) {
      _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    }
    return url
  }

  /// Polls the master with the CLI; bounded so a master that never comes up fails the test.
  func waitUntilServing() throws {
    for _ in 0..<200 {
      if let master, !master.isRunning {
        throw ClusterError.masterExited(master.terminationStatus, masterStderr)
      }
      if try run(["fsadmin", "report"], extraEnvironment: ["GOOSEFS_USER_JAVA_OPTS": "-Dgoosefs.user.rpc.retry.max.duration=200ms"]).status == 0 {
        return
      }
    }
    throw ClusterError.notServing(masterStderr)
  }

  var masterStderr: String {
    (try? String(contentsOf: logs.appendingPathComponent("master.stderr"), encoding: .utf8)) ?? ""
  }

  func killMaster() {
    guard let master else { return }
    kill(master.processIdentifier, SIGKILL)
    master.waitUntilExit()
    self.master = nil
  }

  func stopMaster() {
    guard let master else { return }
    master.terminate()
    master.waitUntilExit()
    self.master = nil
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
  }

  /// Runs `goosefs <arguments>` and collects its output.
  @discardableResult
  func run(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Result {
    let output = try ChildProcess.run(
      Self.binaries.appendingPathComponent("goosefs"), arguments,
      environment: environment.merging(extraEnvironment) { _, new in new })
    return Result(status: output.status, stdout: output.stdout, stderr: output.stderr)
  }

  func writeUFS(_ relativePath: String, _ contents: String) throws {
    let url = ufs.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url)
  }

  func ufsExists(_ relativePath: String) -> Bool {
    FileManager.default.fileExists(atPath: ufs.appendingPathComponent(relativePath).path)
  }

  enum ClusterError: Error {
    case masterExited(Int32, String)
    case notServing(String)
    case toolFailed(String, String)
  }

  /// Runs another tool (the AWS CLI, python3) and returns its stdout; a failure throws with stderr.
  static func runTool(_ tool: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> String {
    let output = try ChildProcess.runTool(
      tool, arguments, environment: ProcessInfo.processInfo.environment.merging(extra) { _, new in new })
    guard output.status == 0 else { throw ClusterError.toolFailed(tool, output.stderr) }
    return output.stdout
  }
}
