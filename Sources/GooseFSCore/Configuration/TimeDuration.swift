/// Durations in Alluxio's grammar (`FormatUtils.parseTimeSize`): an optionally negative number,
/// optionally with a fraction, then an optional case-insensitive unit; no unit means milliseconds.
public enum TimeDuration {
  private static let millisecondsPerUnit: [String: Double] = {
    var table: [String: Double] = [:]
    let units: [(spellings: [String], milliseconds: Double)] = [
      (["", "ms", "millisecond", "milliseconds"], 1),
      (["s", "sec", "second", "seconds"], 1_000),
      (["m", "min", "minute", "minutes"], 60_000),
      (["h", "hr", "hour", "hours"], 3_600_000),
      (["d", "day", "days"], 86_400_000),
    ]
    for unit in units {
      for spelling in unit.spellings { table[spelling] = unit.milliseconds }
    }
    return table
  }()

  /// Parses `500ms`, `5s`, `30sec`, `10min`, `1hour`, `2day`, `365d`, `1000`, `-1`.
  /// Negative values keep their sign, so the conventional `-1` ("never"/"disabled") stays -1.
  public static func parseMilliseconds(_ text: String) throws -> Int64 {
    var rest = Substring(PropertyValueParsing.trim(text))
    let isNegative = rest.first == "-"
    if isNegative { rest = rest.dropFirst() }
    let numberEnd = rest.firstIndex { !($0.isASCII && ($0.isWholeNumber || $0 == ".")) } ?? rest.endIndex
    let unit = PropertyValueParsing.trim(rest[numberEnd...]).lowercased()
    guard let number = UnsignedDecimalText(String(rest[..<numberEnd])), let scale = millisecondsPerUnit[unit] else {
      throw GooseFSError(
        .invalidArgument, "Invalid duration \"\(text)\": expected \(PropertyType.duration.expectedForm)")
    }
    // Whole units are multiplied exactly; the fraction (rare) goes through Double and is
    // truncated like Alluxio's `(long) (value * scale)`.
    guard let whole = number.whole else { throw tooLong(text) }
    let (wholeMilliseconds, overflow) = whole.multipliedReportingOverflow(by: Int64(scale))
    guard !overflow else { throw tooLong(text) }
    let (magnitude, sumOverflow) = wholeMilliseconds.addingReportingOverflow(
      Int64((number.fraction * scale).rounded(.down)))
    guard !sumOverflow else { throw tooLong(text) }
    return isNegative ? -magnitude : magnitude
  }

  private static func tooLong(_ text: String) -> GooseFSError {
    GooseFSError(.invalidArgument, "Duration \"\(text)\" is too long: the limit is \(Int64.max) milliseconds")
  }
}
