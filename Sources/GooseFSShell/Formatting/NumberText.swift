import Foundation
import GooseFSCore

/// Number renderings that Fluid parses.
enum NumberText {
  /// Java `DecimalFormat("###,###.#####")` in the US locale: comma grouping, at most five
  /// fraction digits (half-even), no trailing zeros. `6367897` → `6,367,897`.
  static func grouped(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
    let negative = value < 0
    let scaled = (abs(value) * 100_000).rounded(.toNearestOrEven)
    // Beyond Int64 range fraction digits are meaningless anyway.
    guard scaled < 9.2e18 else { return (negative ? "-" : "") + group(String(format: "%.0f", abs(value))) }
    let total = Int64(scaled)
    let integer = total / 100_000
    var fraction = String(total % 100_000)
    fraction = String(repeating: "0", count: 5 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    var text = group(String(integer))
    if !fraction.isEmpty { text += "." + fraction }
    return (negative && (integer != 0 || !fraction.isEmpty) ? "-" : "") + text
  }

  static func grouped(_ value: Int64) -> String {
    (value < 0 ? "-" : "") + group(String(value.magnitude))
  }

  private static func group(_ digits: String) -> String {
    var result = ""
    for (offset, character) in digits.enumerated() {
      if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return result
  }


  /// Alluxio `FormatUtils.getSizeFromBytes`: `0B`, `4352B`, `29.12KB`, `4768.37MB`.
  /// Negative values (the under store cannot tell) print as `-1B`, like Alluxio.
  static func size(_ bytes: Int64) -> String {
    bytes < 0 ? "\(bytes)B" : ByteSize.format(bytes)
  }

  /// `N day(s), N hour(s), N minute(s), and N second(s)` (Alluxio convertMsToClockTime).
  static func clockTime(milliseconds: Int64) -> String {
    let totalSeconds = max(milliseconds, 0) / 1000
    let days = totalSeconds / 86_400
    let hours = totalSeconds % 86_400 / 3_600
    let minutes = totalSeconds % 3_600 / 60
    let seconds = totalSeconds % 60
    return "\(days) day(s), \(hours) hour(s), \(minutes) minute(s), and \(seconds) second(s)"
  }
}
