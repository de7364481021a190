// How the checks report: each check keeps going after a broken expectation and collects every
// failure, then throws them together, so one run against a new daemon shows all of its gaps
// instead of only the first.
import Glibc

/// Thrown by a check (or by `runAll`, merged) when expectations failed.
public struct CheckFailure: Error, Sendable, CustomStringConvertible {
  /// One line per broken expectation, prefixed with the check's name.
  public var failures: [String]

  public init(_ failures: [String]) {
    self.failures = failures
  }

  public var description: String {
    "\(failures.count) check failure(s):\n" + failures.map { "  - " + $0 }.joined(separator: "\n")
  }
}

/// Collector used inside one check. Not shared between threads.
final class Expectations {
  let check: String
  private(set) var failures: [String] = []

  init(_ check: String) {
    self.check = check
  }

  func fail(_ message: String) {
    failures.append("\(check): \(message)")
  }

  func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
  }

  /// The call must succeed.
  @discardableResult
  func succeeds(_ outcome: SyscallOutcome, _ what: String) -> Bool {
    if outcome.succeeded { return true }
    fail("\(what): failed with \(outcome), expected success")
    return false
  }

  /// The call must fail with one of `codes`.
  func failsWith(_ outcome: SyscallOutcome, _ codes: [Int32], _ what: String) {
    let wanted = codes.map(ErrnoName.of).joined(separator: " or ")
    switch outcome {
    case .success(let value):
      fail("\(what): succeeded (\(value)), expected \(wanted)")
    case .failure(let code) where !codes.contains(code):
      fail("\(what): failed with \(ErrnoName.of(code)), expected \(wanted)")
    case .failure:
      break
    }
  }

  /// lstat must report ENOENT (or a different errno when given).
  func isMissing(_ path: String, _ what: String, code: Int32 = ENOENT) {
    failsWith(Sys.lstat(path).0, [code], "\(what): lstat(\(path))")
  }

  /// `path` must be a regular file whose bytes equal `expected`.
  func hasContents(_ path: String, _ expected: [UInt8], _ what: String) {
    switch readWholeFile(path) {
    case .failure(let error):
      fail("\(what): \(error)")
    case .success(let actual):
      if actual == expected { return }
      if actual.count != expected.count {
        fail("\(what): \(path) has \(actual.count) bytes, expected \(expected.count)")
      }
      if let index = firstDifference(actual, expected) {
        fail("\(what): \(path) differs first at offset \(index)")
      }
    }
  }

  /// `path` must be a directory whose entries are exactly `names` (no duplicates).
  func hasEntries(_ path: String, _ names: [String], _ what: String) {
    switch FileTree.list(path) {
    case .failure(let error):
      fail("\(what): \(error)")
    case .success(let listed):
      if listed.sorted() != names.sorted() {
        fail("\(what): \(path) lists \(listed.sorted()), expected \(names.sorted())")
      }
    }
  }

  /// Throws the collected failures, if any.
  func finish() throws(CheckFailure) {
    if !failures.isEmpty { throw CheckFailure(failures) }
  }
}

/// Runs the named checks of a `runAll` one after the other, each to its end whatever the others
/// did, and throws all their failures together.
struct CheckSequence {
  private(set) var failures: [String] = []
  private(set) var secondsPerCheck: [String: Double] = [:]

  mutating func run(_ name: String, _ body: () throws -> Void) {
    do {
      let ((), seconds) = try timed(body)
      secondsPerCheck[name] = seconds
    } catch let failure as CheckFailure {
      failures += failure.failures
    } catch {
      failures.append("\(name): \(error)")
    }
  }

  func finish() throws(CheckFailure) {
    if !failures.isEmpty { throw CheckFailure(failures) }
  }
}
