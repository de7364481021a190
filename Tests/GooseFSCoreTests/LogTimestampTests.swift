import Foundation
import Testing

@testable import GooseFSCore

/// The hand-made log timestamp writes what ISO8601DateFormatter wrote before it (internet
/// date-time, fractional seconds, the process's time zone).
@Suite("Log timestamps")
struct LogTimestampTests {
  @Test(arguments: [0, 951_782_400, 1_796_641_821, 1_700_000_006, 4_102_444_799])
  func matchesTheFormatterItReplaces(seconds: Int) {
    for milliseconds in [0, 7, 680, 999] {
      let date = Date(timeIntervalSince1970: Double(seconds) + Double(milliseconds) / 1000 + 0.0001)
      let expected = ISO8601DateFormatter.string(
        from: date, timeZone: .current, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
      #expect(LogTimestamp.text(seconds: seconds, milliseconds: milliseconds) == expected)
    }
  }

  @Test func nowHasTheShapeOfALogLine() {
    let text = LogTimestamp.now()
    #expect(text.count == 24 || text.count == 29, "\(text)")
    #expect(text.dropFirst(10).first == "T", "\(text)")
  }
}
