/// Byte sizes as Alluxio writes them: a number, optionally with a fraction, then an optional
/// case-insensitive binary unit (`1KB` is 1024 bytes).
public enum ByteSize {
  /// Multipliers by unit. Kubernetes spellings (`Ki`, `Mi`, `Gi`, …) are accepted too because
  /// Fluid copies `worker.resources.requests.memory` (for example `32Gi`) into
  /// `goosefs.worker.memory.size`; they are binary as well.
  private static let unitShifts: [String: Int64] = [
    "": 0, "b": 0,
    "k": 10, "kb": 10, "ki": 10, "kib": 10,
    "m": 20, "mb": 20, "mi": 20, "mib": 20,
    "g": 30, "gb": 30, "gi": 30, "gib": 30,
    "t": 40, "tb": 40, "ti": 40, "tib": 40,
    "p": 50, "pb": 50, "pi": 50, "pib": 50,
  ]

  /// Parses `128MB`, `5G`, `1.5GB`, `1048576`, `32Gi`. Negative sizes and results beyond
  /// `Int64.max` are errors rather than silently wrapped or clamped values.
  public static func parse(_ text: String) throws -> Int64 {
    let trimmed = PropertyValueParsing.trim(text)
    let numberEnd = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
    let number = String(trimmed[..<numberEnd])
    let unit = PropertyValueParsing.trim(trimmed[numberEnd...]).lowercased()
    guard let shift = unitShifts[unit], let parts = UnsignedDecimalText(number) else {
      throw invalid(text)
    }
    let multiplier = Int64(1) << shift
    guard let wholeNumber = parts.whole else { throw overflowError(text) }
    let (whole, overflow) = wholeNumber.multipliedReportingOverflow(by: multiplier)
    guard !overflow else { throw overflowError(text) }
    // The fraction is applied in floating point and truncated, as Alluxio does; it can add at
    // most one multiplier, so only the final sum needs an overflow check.
    let fractionBytes = Int64((parts.fraction * Double(multiplier)).rounded(.down))
    let (total, sumOverflow) = whole.addingReportingOverflow(fractionBytes)
    guard !sumOverflow else { throw overflowError(text) }
    return total
  }

  /// Alluxio's `FormatUtils.getSizeFromBytes`: plain bytes up to 5 KiB, then the first unit in
  /// which the number is at most 5×1024, with two decimals (rounded half up, like Java).
  public static func format(_ bytes: Int64) -> String {
    let threshold: Int64 = 5 * 1024
    if bytes <= threshold { return "\(bytes)B" }
    let units = ["KB", "MB", "GB", "TB"]
    for (index, unit) in units.enumerated() {
      let divisor = Int64(1) << (10 * (index + 1))
      // Stay in this unit while value ≤ 5×1024, i.e. bytes ≤ 5×1024×divisor (compared exactly).
      if bytes / divisor < threshold || (bytes / divisor == threshold && bytes % divisor == 0) {
        return twoDecimals(bytes, dividedBy: divisor) + unit
      }
    }
    return twoDecimals(bytes, dividedBy: Int64(1) << 50) + "PB"
  }

  /// Exact integer arithmetic, so that ties round up the way Java's `%.2f` does and C's does not.
  private static func twoDecimals(_ bytes: Int64, dividedBy divisor: Int64) -> String {
    let whole = bytes / divisor
    let remainder = bytes % divisor
    var hundredths = whole * 100 + (remainder * 100 + divisor / 2) / divisor
    let integerPart = hundredths / 100
    hundredths %= 100
    return "\(integerPart)." + (hundredths < 10 ? "0" : "") + "\(hundredths)"
  }

  private static func invalid(_ text: String) -> GooseFSError {
    GooseFSError(.invalidArgument, "Invalid byte size \"\(text)\": expected \(PropertyType.byteSize.expectedForm)")
  }

  private static func overflowError(_ text: String) -> GooseFSError {
    GooseFSError(.invalidArgument, "Byte size \"\(text)\" is too large: the limit is \(Int64.max) bytes")
  }
}

/// A non-negative decimal such as `1`, `1.5` or `.5`, split so that the whole part stays exact.
struct UnsignedDecimalText {
  /// nil when the whole part has more digits than an Int64 holds.
  let whole: Int64?
  let fraction: Double

  /// Accepts only ASCII digits with at most one dot that has a digit after it.
  init?(_ text: String) {
    let pieces = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let wholeText = pieces[0]
    let fractionText = pieces.count > 1 ? pieces[1] : ""
    let isDigit: (Character) -> Bool = { $0.isASCII && $0.isWholeNumber }
    guard wholeText.allSatisfy(isDigit), fractionText.allSatisfy(isDigit) else { return nil }
    guard !wholeText.isEmpty || !fractionText.isEmpty else { return nil }
    guard pieces.count == 1 || !fractionText.isEmpty else { return nil }
    whole = wholeText.isEmpty ? 0 : Int64(wholeText)
    fraction = fractionText.isEmpty ? 0 : Double("0." + fractionText) ?? 0
  }
}
