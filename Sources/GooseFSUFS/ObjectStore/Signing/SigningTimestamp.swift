import Foundation

/// The instant a request is signed at, in the two forms SigV4 needs (`20130524T000000Z` and
/// `20130524`) and the epoch seconds COS needs.
///
/// Computed arithmetically in UTC rather than with a date formatter: formatters depend on the
/// locale and calendar settings of the process, are costly to create, and signing runs on every
/// request from many threads.
struct SigningTimestamp: Sendable, Equatable {
  /// Whole seconds since 1970-01-01T00:00:00Z (fractions are dropped, as servers compare seconds).
  let epochSeconds: Int64
  /// `yyyyMMdd'T'HHmmss'Z'`, the x-amz-date header.
  let amzDate: String
  /// `yyyyMMdd`, the first element of the SigV4 credential scope.
  let dateStamp: String

  init(_ date: Date) {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    epochSeconds = seconds
    let days = Self.floorDivide(seconds, 86_400)
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
    dateStamp = Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2)
    amzDate =
      dateStamp + "T" + Self.pad(secondOfDay / 3600, 2) + Self.pad(secondOfDay % 3600 / 60, 2)
      + Self.pad(secondOfDay % 60, 2) + "Z"
  }

  /// Proleptic Gregorian year, month and day for a count of days since 1970-01-01 (Howard
  /// Hinnant's "civil_from_days", exact for the whole Int64 range of interest).
  private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = daysSinceEpoch + 719_468  // days since 0000-03-01
    let era = floorDivide(shifted, 146_097)
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }
}
