import Foundation

/// Swift re-implementations of the Fluid controller parsers that read our output
/// (/work/shared/reference/fluid-contract.md §3). Where Go would index out of range and panic
/// the controller, these throw `FluidPanic`, so a test fails instead of passing by luck.
struct FluidPanic: Error, CustomStringConvertible {
  let description: String
}

/// An error the Go code returns (the controller logs it and carries on).
struct FluidParseError: Error, CustomStringConvertible {
  let description: String
}

enum FluidParsers {
  /// `pkg/utils/byte_size.go: FromHumanSize`, binary multipliers.
  static func fromHumanSize(_ text: String) throws -> Int64 {
    guard let match = text.wholeMatch(of: FluidRegex.humanSize) else {
      throw FluidParseError(description: "FromHumanSize: invalid size \(text)")
    }
    let number = Double(String(match.output[1].substring!))!
    let unit = match.output[3].substring.map { String($0).lowercased() } ?? ""
    let power = ["": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5][unit]!
    return Int64(number * pow(1024, Double(power)))
  }

  /// `report.go: ParseReportSummary`: the two capacity lines of `fsadmin report summary`.
  static func reportSummary(_ stdout: String) throws -> (capacity: Int64, used: Int64) {
    var capacity: Int64?
    var used: Int64?
    for line in trimmedLines(stdout) {
      let line = line.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("Total Capacity: ") { capacity = try fromHumanSize(String(line.dropFirst("Total Capacity: ".count))) }
      if line.hasPrefix("Used Capacity: ") { used = try fromHumanSize(String(line.dropFirst("Used Capacity: ".count))) }
    }
    guard let capacity, let used else { throw FluidParseError(description: "no capacity lines") }
    return (capacity, used)
  }

  /// `utils.go: GetWorkerUsedCapacity`: from the `Worker Name` line on, pairs of lines, whose
  /// joined fields give the worker name at [0] and its used size at [5].
  static func workerUsedCapacity(_ stdout: String) throws -> [String: Int64] {
    let lines = trimmedLines(stdout)
    guard let header = lines.firstIndex(where: { $0.hasPrefix("Worker Name") }) else { return [:] }
    var used: [String: Int64] = [:]
    var index = header + 1
    while index < lines.count {
      guard index + 1 < lines.count else { throw FluidPanic(description: "lines[i+1] out of range") }
      let fields = FluidRegex.fields(lines[index]) + FluidRegex.fields(lines[index + 1])
      guard fields.count > 5 else { throw FluidPanic(description: "fields[5] out of range: \(fields)") }
      used[fields[0]] = try fromHumanSize(fields[5])
      index += 2
    }
    return used
  }

  /// `base.go: Du` (`du -s`): two lines, the second `ufs cached (pct%) path`.
  static func du(_ stdout: String) throws -> (ufs: Int64, cached: Int64, percentage: String, path: String) {
    let lines = trimmedLines(stdout)
    guard lines.count == 2 else { throw FluidPanic(description: "du: \(lines.count) lines") }
    let fields = FluidRegex.fields(lines[1])
    guard fields.count == 4, let ufs = Int64(fields[0]), let cached = Int64(fields[1]) else {
      throw FluidPanic(description: "du: bad fields \(fields)")
    }
    return (ufs, cached, fields[2], fields[3])
  }

  /// Go's `strings.Split(strings.TrimSpace(stdout), "\n")`.
  private static func trimmedLines(_ stdout: String) -> [String] {
    stdout.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
  }
}
