import Foundation
import GooseFSClient
import GooseFSCore
import Synchronization

@testable import GooseFSShell

/// Runs the CLI in-process the way the `goosefs` executable does, capturing its output.
struct ShellRun {
  let code: Int32
  let stdout: String
  let stderr: String
  /// stdout exactly as written (file contents from cat/head/tail).
  let bytes: [UInt8]

  /// stdout lines without the final empty one.
  var lines: [String] {
    var parts = stdout.components(separatedBy: "\n")
    if parts.last == "" { parts.removeLast() }
    return parts
  }
}

enum ShellHarness {
  static let utc = TimeZone(identifier: "UTC")!

  static func run(
    _ commandLine: [String], fileSystem: InMemoryFileSystem = InMemoryFileSystem(),
    formatJournal: @escaping @Sendable (Configuration) throws -> Void = { _ in },
    connect: Bool = true
  ) async throws -> ShellRun {
    let (properties, arguments) = GooseFSShell.splitSystemProperties(commandLine)
    // Defaults plus the -D properties, without reading any site file of the machine running the tests.
    let configuration = Configuration(properties: [:]).with(properties)
    let output = ShellOutput.capturing()
    let environment = ShellEnvironment(
      configuration: configuration,
      makeFileSystem: { _ in
        guard connect else { throw GooseFSError(.unavailable, "Failed to connect to master (localhost:9200)") }
        return fileSystem
      },
      formatJournal: formatJournal,
      output: output,
      timeZone: utc,
      revision: "0123456789abcdef",
      hostName: "master-0")
    let code = await GooseFSShell.run(arguments: arguments, environment: environment)
    return ShellRun(
      code: code, stdout: output.standardOutput, stderr: output.standardError, bytes: output.standardOutputBytes)
  }
}
