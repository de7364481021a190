import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real S3 endpoint for tests: `moto_server` (PyPI `moto[server]`) started on a free loopback
/// port, stopped when the value is released. scripts/test.sh installs moto.
public final class MotoServer: @unchecked Sendable {
  public let port: Int
  private let process: Process
  private let logFile: URL

  public var endpoint: String { "http://127.0.0.1:\(port)" }

  public init() throws {
    let executable = try Self.findExecutable()
    port = try Self.freePort()
    logFile = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port).log")
    _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
    process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
    let log = try FileHandle(forWritingTo: logFile)
    process.standardOutput = log
    process.standardError = log
    try process.run()
    try waitUntilAnswering()
  }

  deinit {
    // SIGKILL: test runners may start children with SIGTERM blocked, and a test peer needs no
    // graceful shutdown.
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(at: logFile)
  }

  /// Runs a short boto3 script against this server (seeding buckets quickly, or reading back what
  /// the adapter wrote). `script` sees `s3`, a boto3 client for the server.
  @discardableResult
  public func boto3(_ script: String) throws -> String {
    let prelude = """
      import boto3, sys
      from botocore.config import Config
      s3 = boto3.client('s3', endpoint_url='\(endpoint)', region_name='us-east-1',
                        aws_access_key_id='testing', aws_secret_access_key='testing',
                        config=Config(s3={'addressing_style': 'path'}))

      """
    return try Self.python(prelude + script)
  }

  public static func python(_ script: String) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("script-\(UUID().uuidString).py")
    try Data(script.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let output = try ChildProcess.runTool("python3", [file.path])
    guard output.status == 0 else { throw MotoError.scriptFailed(output.stderr) }
    return output.stdout
  }

  /// Polls the port until moto answers HTTP; bounded (2 minutes: importing moto on a loaded
  /// 2-core runner can take tens of seconds), and fails early if the process died.
  private func waitUntilAnswering() throws {
    for _ in 0..<2400 {
      guard process.isRunning else {
        throw MotoError.exited((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")
      }
      if Self.canConnect(port: port) { return }
      usleep(50_000)
    }
    throw MotoError.notAnswering
  }

  public static func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
  }

  public static func freePort() throws -> Int {
    try LoopbackPort.free()
  }

  private static func findExecutable() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in path.split(separator: ":") + ["/usr/local/bin", "/root/.pyenv/shims"] {
      let candidate = "\(directory)/moto_server"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw MotoError.notInstalled
  }

  public enum MotoError: Error, CustomStringConvertible {
    case notInstalled
    case notAnswering
    case exited(String)
    case scriptFailed(String)

    public var description: String {
      switch self {
      case .notInstalled: "moto_server is not installed (scripts/test.sh installs it: pip install 'moto[server]')"
      case .notAnswering: "moto_server did not answer within 30 s"
      case .exited(let log): "moto_server exited: \(log)"
      case .scriptFailed(let errors): "python script failed: \(errors)"
      }
    }
  }
}
