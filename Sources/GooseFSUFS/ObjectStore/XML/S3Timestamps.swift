import Foundation

/// Date and ETag formats in S3 responses.
enum S3Timestamps {
  /// `2024-05-01T12:34:56.000Z` (listings); fractional seconds optional. 0 when unparsable.
  static func iso8601Milliseconds(_ text: String) -> Int64 {
    // Fixed-layout parse: faster than a formatter for thousands of listing entries, and free of
    // locale and shared-formatter thread-safety questions.
    let bytes = Array(text.utf8)
    func number(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[start..<(start + count)] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
    else { return 0 }
    var milliseconds = 0
    if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
      var scale = 100
      var index = 20
      while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
        milliseconds += Int(bytes[index] - 48) * scale
        scale /= 10
        index += 1
      }
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
    return Int64(seconds) * 1000 + Int64(milliseconds)
  }

  /// `Wed, 01 May 2024 12:34:56 GMT` (Last-Modified header). 0 when unparsable.
  static func httpDateMilliseconds(_ text: String) -> Int64 {
    let parts = text.split(separator: " ")
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    guard parts.count >= 5, let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
      let year = Int(parts[3])
    else { return 0 }
    let clock = parts[4].split(separator: ":").compactMap { Int($0) }
    guard clock.count == 3 else { return 0 }
    let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
    return Int64(((days * 24 + clock[0]) * 60 + clock[1]) * 60 + clock[2]) * 1000
  }

  /// ETags arrive quoted (`"9b2c…"`) in headers and listings; COS sometimes sends them bare.
  static func unquotedETag(_ text: String) -> String {
    var value = Substring(text)
    if value.hasPrefix("&quot;") { value = value.dropFirst(6) }
    if value.hasSuffix("&quot;") { value = value.dropLast(6) }
    return String(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
