import Testing

@testable import GooseFSCore

@Suite("Durations")
struct TimeDurationTests {
  @Test(arguments: [
    ("500ms", Int64(500)),
    ("5s", 5_000),
    ("30sec", 30_000),
    ("2min", 120_000),
    ("10min", 600_000),
    ("1hour", 3_600_000),
    ("1hr", 3_600_000),
    ("2h", 7_200_000),
    ("365d", 31_536_000_000),
    ("2day", 172_800_000),
    ("3days", 259_200_000),
    ("1000", 1_000),
    ("-1", -1),
    ("0", 0),
    ("1m", 60_000),
    ("5 Seconds", 5_000),
    ("2MINUTES", 120_000),
    ("1millisecond", 1),
    ("10milliseconds", 10),
    ("1.5s", 1_500),
    ("-2s", -2_000),
  ])
  func parses(text: String, milliseconds: Int64) throws {
    #expect(try TimeDuration.parseMilliseconds(text) == milliseconds)
  }

  @Test(arguments: ["", "abc", "5 weeks", "1y", "--1", "1.2.3s", "s", "99999999999999999999d"])
  func rejectsMalformedDurations(text: String) {
    #expect(throws: GooseFSError.self) { try TimeDuration.parseMilliseconds(text) }
  }
}
