import Foundation
import GooseFSUFS
import NIOCore

/// scripts/testing/fault_proxy.py started as a real process on a free loopback port it picks
/// itself; ready once it has printed "READY <port>". Stopped when released.
final class FaultServerProcess: @unchecked Sendable {
  let port: Int
  private let process: Process
  /// The server exits when this pipe closes, even if this process dies without terminating it.
  private let lifeline = Pipe()

  /// An origin serving `bytes` deterministic bytes (see `FaultServerProcess.patternByte`).
  static func origin(bytes: Int, plan: String = "") throws -> FaultServerProcess {
    try FaultServerProcess(["--serve-bytes", String(bytes), "--plan", plan])
  }

  /// A reverse proxy in front of `upstream`, injecting the faults of `plan`.
  static func proxy(to upstream: FaultServerProcess, plan: String) throws -> FaultServerProcess {
    try FaultServerProcess(["--upstream", "http://127.0.0.1:\(upstream.port)", "--plan", plan])
  }

  private init(_ arguments: [String]) throws {
    let script = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scripts/testing/fault_proxy.py")
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "--listen-port", "0", "--exit-on-stdin-eof"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = lifeline
    try process.run()
    // Blocks until the server has bound its socket (the line is printed right after).
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let more = output.fileHandleForReading.availableData
      guard !more.isEmpty else { throw FaultServerError.exitedBeforeReady }
      line.append(more)
    }
    let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
      throw FaultServerError.unexpectedOutput(text)
    }
    self.port = port
  }

  deinit {
    process.terminate()
    process.waitUntilExit()
  }

  func request(_ method: String, _ path: String, query: [(name: String, value: String)] = [],
               headers: [(name: String, value: String)] = [], body: ByteBuffer? = nil) -> HTTPRequest {
    HTTPRequest(method: method, scheme: "http", host: "127.0.0.1", port: port, path: path, query: query,
                headers: headers, body: body)
  }

  /// TCP connections accepted and requests counted, as the server saw them.
  func stats(using transport: some HTTPTransport) async throws -> (connections: Int, requests: Int) {
    let response = try await transport.execute(request("GET", "/__stats"), timeout: .seconds(10))
    let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Int]
    return (object?["connections"] ?? -1, object?["requests"] ?? -1)
  }

  /// Byte `index` of the object an origin serves (fault_proxy.py's PATTERN, period 65521).
  static func patternByte(_ index: Int) -> UInt8 {
    let j = index % 65521
    return UInt8(truncatingIfNeeded: j * 31 + j / 251)
  }

  static func pattern(_ range: Range<Int>) -> [UInt8] {
    range.map(patternByte)
  }
}

enum FaultServerError: Error {
  case exitedBeforeReady
  case unexpectedOutput(String)
}
