// Seeded differential tester: applies the same random POSIX operation to the mount and to a
// reference folder (a local file system is the oracle), and compares after every step. A
// failure is replayable from the seed alone, and the report carries the operations leading up
// to the first divergence.
import Glibc

public struct RandomOperationTester: Sendable {
  /// Root of the system under test. Should start empty (or identical to `reference`).
  public var mount: String
  /// Root of the oracle, a folder on a local file system. Should start empty.
  public var reference: String
  public var seed: UInt64
  /// How many recent operations the report's logs keep.
  public var logCapacity = 40
  /// Stop after this many step mismatches: after the first, state has diverged and later
  /// mismatches are mostly consequences.
  public var maxMismatches = 20
  /// Compare touched paths (kind, size, full contents; subtree for directories) and parent
  /// listings after each step. Off means only outcomes per step plus the final tree walk.
  public var verifyEachStep = true

  public init(mount: String, reference: String, seed: UInt64) {
    self.mount = mount
    self.reference = reference
    self.seed = seed
  }

  public func run(operations: Int) -> RandomOperationReport {
    let clock = ContinuousClock()
    let started = clock.now
    var rng = SplitMix64(seed: seed)
    var report = RandomOperationReport(
      seed: seed, operationsRequested: operations, operationsRun: 0, mismatches: [],
      finalTreeMismatches: [], log: [], logAtFirstMismatch: [], outcomeCounts: [:],
      bytesWritten: 0, seconds: 0)
    var log: [String] = []

    for difference in FileTree.compare(expected: reference, actual: mount) {
      report.mismatches.append(
        RandomOperationMismatch(
          step: 0, operation: "initial tree comparison", aspect: "tree",
          expected: "identical trees", actual: difference))
    }

    var step = 0
    while step < operations && report.mismatches.count < maxMismatches {
      step += 1
      let operation = RandomOperation.draw(&rng, reference: reference)
      let payload = operation.payload
      let expected = operation.apply(root: reference, payload: payload)
      let actual = operation.apply(root: mount, payload: payload)
      report.outcomeCounts["\(operation.kind) \(expected.summary)", default: 0] += 1
      if expected.summary == "ok" { report.bytesWritten += payload.count }

      var found: [RandomOperationMismatch] = []
      func mismatch(_ aspect: String, _ want: String, _ got: String) {
        found.append(
          RandomOperationMismatch(
            step: step, operation: operation.description, aspect: aspect, expected: want, actual: got))
      }
      if expected.calls != actual.calls {
        mismatch("outcome", expected.callsDescription, actual.callsDescription)
      } else if expected.data != actual.data {
        mismatch("read data", "\(expected.data.count) bytes", describeDifference(expected.data, actual.data))
      }
      if verifyEachStep {
        compareTouchedState(of: operation, mismatch)
      }

      var entry = "#\(step) \(operation): \(expected.callsDescription)"
      if expected.calls != actual.calls { entry += " | mount: \(actual.callsDescription)" }
      log.append(entry)
      if log.count > logCapacity { log.removeFirst(log.count - logCapacity) }

      if !found.isEmpty && report.logAtFirstMismatch.isEmpty {
        report.logAtFirstMismatch = log
      }
      report.mismatches += found
    }
    report.operationsRun = step
    report.log = log

    for difference in FileTree.compare(expected: reference, actual: mount) {
      report.finalTreeMismatches.append(
        RandomOperationMismatch(
          step: step + 1, operation: "final tree comparison", aspect: "tree",
          expected: "identical trees", actual: difference))
    }
    report.seconds = (clock.now - started).seconds
    return report
  }

  /// State of every touched path (lstat outcome and kind; size and contents of files; whole
  /// subtree of directories) and the listing of its parent.
  private func compareTouchedState(
    of operation: RandomOperation, _ mismatch: (String, String, String) -> Void
  ) {
    var parents: Set<String> = []
    for path in operation.touchedPaths {
      let referencePath = FileTree.join(reference, path)
      let mountPath = FileTree.join(mount, path)
      let (referenceOutcome, referenceInfo) = Sys.lstat(referencePath)
      let (mountOutcome, mountInfo) = Sys.lstat(mountPath)
      parents.insert(path.split(separator: "/").dropLast().joined(separator: "/"))

      let want = Self.describe(referenceOutcome, referenceInfo)
      let got = Self.describe(mountOutcome, mountInfo)
      if want != got {
        mismatch("state of \(path)", want, got)
        continue
      }
      guard referenceOutcome.succeeded else { continue }
      switch FileKind(mode: referenceInfo.st_mode) {
      case .regular:
        if let problem = FileTree.compareContents(expected: referencePath, actual: mountPath) {
          mismatch("contents of \(path)", "\(referenceInfo.st_size) bytes as in reference", problem)
        }
      case .directory:
        let differences = FileTree.compare(expected: referencePath, actual: mountPath)
        if !differences.isEmpty {
          mismatch("subtree \(path)", "identical", differences.joined(separator: "; "))
        }
      default:
        break
      }
    }
    for parent in parents.sorted() {
      let want = Self.listing(FileTree.join(reference, parent))
      let got = Self.listing(FileTree.join(mount, parent))
      if want != got { mismatch("listing of \(parent.isEmpty ? "/" : parent)", want, got) }
    }
  }

  /// "missing(ENOENT)", "directory", "regular 4096 bytes": sizes only for files, because
  /// directory sizes are file-system specific.
  private static func describe(_ outcome: SyscallOutcome, _ info: stat) -> String {
    guard outcome.succeeded else { return "missing(\(outcome))" }
    let kind = FileKind(mode: info.st_mode)
    return kind == .regular ? "regular \(info.st_size) bytes" : kind.rawValue
  }

  private static func listing(_ path: String) -> String {
    switch FileTree.list(path) {
    case .success(let names): return "[" + names.sorted().joined(separator: ", ") + "]"
    case .failure(let error): return "unlistable(\(ErrnoName.of(error.code)))"
    }
  }

  private func describeDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String {
    if let index = firstDifference(expected, actual) {
      return "\(actual.count) bytes, first difference at range offset \(index)"
    }
    return "\(actual.count) bytes (same prefix)"
  }
}
