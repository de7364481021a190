// Runs an external program and captures its exit status and output. Output goes to temporary
// files rather than pipes: a child that fills a pipe nobody is reading would block forever,
// and files need no reader threads. A timeout keeps a hung mount from hanging the test run.
import Foundation
import Glibc

public struct CommandResult: Sendable, CustomStringConvertible {
  public var command: [String]
  /// Exit status, or the signal number for a child killed by a signal (see `timedOut`).
  public var exitCode: Int32
  public var stdout: String
  public var stderr: String
  public var timedOut: Bool
  public var seconds: Double

  public var succeeded: Bool { exitCode == 0 && !timedOut }

  public var description: String {
    var text = "`\(command.joined(separator: " "))` exited \(exitCode)\(timedOut ? " (timed out)" : "")"
    if !stdout.isEmpty { text += "\nstdout: " + stdout.prefix(2000) }
    if !stderr.isEmpty { text += "\nstderr: " + stderr.prefix(2000) }
    return text
  }
}

public enum CommandRunner {
  /// Runs `executable` (absolute path) with `arguments`. The environment is the current one
  /// plus LC_ALL=C, so error messages ("Permission denied") are not translated.
  public static func run(
    _ executable: String, _ arguments: [String], workingDirectory: String? = nil,
    standardInput: String? = nil, timeout: Duration = .seconds(600)
  ) throws -> CommandResult {
    let scratch = try ScratchDirectory.create(prefix: "fusetests-cmd-", mode: 0o700)
    defer { try? FileTree.remove(scratch) }
    let outPath = FileTree.join(scratch, "stdout")
    let errPath = FileTree.join(scratch, "stderr")
    let inPath = FileTree.join(scratch, "stdin")
    try writeFile(outPath, [])
    try writeFile(errPath, [])
    try writeFile(inPath, Array((standardInput ?? "").utf8))

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let workingDirectory {
      process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
    }
    var environment = ProcessInfo.processInfo.environment
    environment["LC_ALL"] = "C"
    process.environment = environment
    let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let inHandle = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    defer {
      try? outHandle.close()
      try? errHandle.close()
      try? inHandle.close()
    }
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = inHandle

    let clock = ContinuousClock()
    let start = clock.now
    try process.run()
    // Poll instead of waitUntilExit so the timeout needs no second thread.
    var timedOut = false
    while process.isRunning {
      if clock.now - start > timeout {
        timedOut = true
        // SIGKILL: a tool blocked on a broken mount may ignore SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        break
      }
      usleep(5_000)
    }
    let seconds = (clock.now - start).seconds

    func text(_ path: String) -> String {
      String(decoding: (try? readWholeFile(path).get()) ?? [], as: UTF8.self)
    }
    return CommandResult(
      command: [executable] + arguments, exitCode: process.terminationStatus, stdout: text(outPath),
      stderr: text(errPath), timedOut: timedOut, seconds: seconds)
  }

  /// Runs the command and throws (with its output) unless it exits 0.
  @discardableResult
  public static func check(
    _ executable: String, _ arguments: [String], workingDirectory: String? = nil,
    standardInput: String? = nil, timeout: Duration = .seconds(600)
  ) throws -> CommandResult {
    let result = try run(
      executable, arguments, workingDirectory: workingDirectory, standardInput: standardInput, timeout: timeout)
    if !result.succeeded { throw CheckFailure(["command failed: \(result)"]) }
    return result
  }
}

extension String {
  /// Command output without the trailing newline (and surrounding blanks).
  func trimmingWhitespace() -> String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}
