import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a short-lived child process to completion and collects its output (the CLI, python3,
/// the AWS CLI). stderr is drained on its own thread so a chatty child cannot fill one pipe while
/// we block reading the other.
public enum ChildProcess {
  public struct Output: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// With `stdoutFile`, stdout goes to that file (binary output such as `fs cat`) and
  /// `Output.stdout` is empty.
  public static func run(
    _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, stdoutFile: String? = nil
  ) throws -> Output {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    let stdout = Pipe()
    let stderr = Pipe()
    if let stdoutFile {
      _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
      process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
      try? stdout.fileHandleForWriting.close()
    } else {
      process.standardOutput = stdout
    }
    process.standardError = stderr
    try process.run()
    let errors = ErrorCollector()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errors.data = stderr.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: errors.data, as: UTF8.self))
  }

  /// `tool` looked up on PATH (via /usr/bin/env).
  public static func runTool(_ tool: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
    try run(URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, environment: environment)
  }

  /// Written by the draining thread before the semaphore is signalled, read after the wait.
  private final class ErrorCollector: @unchecked Sendable {
    var data = Data()
  }
}

/// Loopback ports for test servers.
public enum LoopbackPort {
  /// A port nothing listens on right now (the kernel picks it).
  public static func free() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw PortError.noFreePort }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  public enum PortError: Error {
    case noFreePort
  }
}
