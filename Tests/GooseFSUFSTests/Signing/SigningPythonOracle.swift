import Foundation

/// Runs a reference implementation written in Python (botocore, Tencent's cos-python-sdk-v5) on
/// JSON input and returns its JSON output, so our signatures can be compared byte for byte with
/// the SDKs the stores are tested against. CI installs both packages; a missing interpreter or
/// package is an error that names the fix, never a silent pass.
enum SigningPythonOracle {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Exit status the scripts use when their SDK cannot be imported.
  static let missingPackageStatus: Int32 = 3

  static func run(script: String, input: Data, package: String) throws -> Data {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("signing-oracle-\(UUID().uuidString).py")
    try Data(script.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", file.path]
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    do {
      try process.run()
    } catch {
      throw Failure(description: "cannot start python3 (\(error)); install python3 and `pip install \(package)`")
    }
    // Read both pipes on other threads while writing input, so neither side can block on a
    // full pipe buffer.
    let output = Collected()
    let errors = Collected()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { output.set(stdout.fileHandleForReading.readDataToEndOfFile()) }
    DispatchQueue.global().async(group: group) { errors.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()

    let message = String(decoding: errors.get(), as: UTF8.self)
    switch process.terminationStatus {
    case 0:
      return output.get()
    case 127:
      throw Failure(description: "python3 is not on PATH; install it and `pip install \(package)` (CI does)")
    case missingPackageStatus:
      throw Failure(description: "the Python package \(package) is missing: `pip install \(package)` (CI does). \(message)")
    default:
      throw Failure(description: "the \(package) reference script failed (status \(process.terminationStatus)): \(message)")
    }
  }

  private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
  }
}
