import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// scripts/testing/fault_proxy.py as a real process: a reverse proxy in front of a loopback
/// origin (e.g. moto) that injects the faults its plan names. Stopped when released.
public final class FaultProxy: @unchecked Sendable {
  public let port: Int
  private let process: Process

  public var endpoint: String { "http://127.0.0.1:\(port)" }

  /// `plan` is the proxy's JSON fault plan (see the script's header).
  public init(upstream: String, plan: String) throws {
    let script = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scripts/testing/fault_proxy.py")
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "--listen-port", "0", "--upstream", upstream, "--plan", plan]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The proxy prints "READY <port>" once it listens: read up to that line, no polling.
    var line = Data()
    let reader = output.fileHandleForReading
    while true {
      let byte = reader.readData(ofLength: 1)
      guard let first = byte.first else { throw ProxyError.exitedBeforeReady }
      if first == UInt8(ascii: "\n") { break }
      line.append(first)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("READY "), let port = Int(text.dropFirst("READY ".count)) else {
      throw ProxyError.unexpectedOutput(text)
    }
    self.port = port
  }

  deinit {
    // SIGKILL: test runners may start children with SIGTERM blocked, and a test peer needs no
    // graceful shutdown.
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  public enum ProxyError: Error {
    case exitedBeforeReady
    case unexpectedOutput(String)
  }
}
