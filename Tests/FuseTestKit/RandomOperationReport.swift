// The result of a random-operation run, shaped for a test failure message: what diverged first,
// what led up to it, and evidence that the error paths were actually exercised.

/// One divergence between the mount (actual) and the reference (expected).
public struct RandomOperationMismatch: Sendable, CustomStringConvertible {
  /// 1-based operation number; 0 for the initial tree check, operationsRun + 1 for the final one.
  public var step: Int
  /// The operation, e.g. "rename d0/f1 -> f2".
  public var operation: String
  /// What was compared, e.g. "outcome", "state of d0/f1", "listing of d0", "read data".
  public var aspect: String
  /// What the reference folder showed.
  public var expected: String
  /// What the mount showed.
  public var actual: String

  public var description: String {
    "step \(step) [\(operation)] \(aspect): expected \(expected), actual \(actual)"
  }
}

public struct RandomOperationReport: Sendable, CustomStringConvertible {
  public var seed: UInt64
  public var operationsRequested: Int
  /// Fewer than requested when the run stopped early after `maxMismatches`.
  public var operationsRun: Int
  /// Per-step divergences (outcomes, touched-path state, listings, read data).
  public var mismatches: [RandomOperationMismatch]
  /// Divergences of the full final walk of both trees (names, kinds, sizes, contents).
  public var finalTreeMismatches: [RandomOperationMismatch]
  /// The last `logCapacity` operations at the end of the run, with the reference outcome and,
  /// where it differed, the mount outcome.
  public var log: [String]
  /// The log as it was right after the first mismatch: usually the most useful context.
  public var logAtFirstMismatch: [String]
  /// How often each operation kind ended in each outcome, e.g. "rmdir ENOTEMPTY": 41. Shows
  /// that the collisions the small namespace is meant to produce really happened.
  public var outcomeCounts: [String: Int]
  /// Bytes written per side.
  public var bytesWritten: Int
  public var seconds: Double

  public var passed: Bool { mismatches.isEmpty && finalTreeMismatches.isEmpty }

  public var description: String {
    var lines = [
      "random operations seed \(seed): \(operationsRun)/\(operationsRequested) ops, "
        + "\(mismatches.count) step mismatches, \(finalTreeMismatches.count) final tree mismatches, "
        + "\(bytesWritten) bytes written per side, \(String(format2: seconds)) s"
    ]
    if !passed {
      lines.append("mismatches:")
      lines += (mismatches + finalTreeMismatches).prefix(40).map { "  " + $0.description }
      lines.append("log before the first mismatch:")
      lines += logAtFirstMismatch.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }

  /// The coverage counts, one "kind outcome: n" per line, sorted.
  public var outcomeSummary: String {
    outcomeCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
  }
}

extension String {
  /// Two decimals without Foundation's String(format:).
  init(format2 value: Double) {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}
