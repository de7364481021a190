import Foundation

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

  init(extraProperties: [String: String] = [:]) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("goosefs-it-\(UUID().uuidString.prefix(8))")
    ufs = root.appendingPathComponent("ufs")
    journal = root.appendingPathComponent("journal")
    logs = root.appendingPathComponent("logs")
    for folder in [ufs, logs] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    rpcPort = try Self.freePort()
    webPort = try Self.freePort()
    self.extraProperties = extraProperties
  }

  deinit {
    if let master, master.isRunning { kill(master.processIdentifier, SIGKILL) }
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
    process.standardError = try FileHandle(forWritingTo: touch(logs.appendingPathComponent("master.stderr")))
    try process.run()
    master = process
    try waitUntilServing()
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
    let process = Process()
    process.executableURL = Self.binaries.appendingPathComponent("goosefs")
    process.arguments = arguments
    process.environment = environment.merging(extraEnvironment) { _, new in new }
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
  }

  func writeUFS(_ relativePath: String, _ contents: String) throws {
    let url = ufs.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url)
  }

  func ufsExists(_ relativePath: String) -> Bool {
    FileManager.default.fileExists(atPath: ufs.appendingPathComponent(relativePath).path)
  }

  /// A port nothing listens on right now (the kernel picks it).
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else { throw ClusterError.noFreePort }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  enum ClusterError: Error {
    case noFreePort
    case masterExited(Int32, String)
    case notServing(String)
    case toolFailed(String, String)
  }

  /// Runs another tool (the AWS CLI, python3) and returns its stdout; a failure throws with stderr.
  static func runTool(_ tool: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ClusterError.toolFailed(tool, String(decoding: err, as: UTF8.self))
    }
    return String(decoding: out, as: UTF8.self)
  }
}
