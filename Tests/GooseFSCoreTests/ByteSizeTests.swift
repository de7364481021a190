import Testing

@testable import GooseFSCore

@Suite("Byte sizes")
struct ByteSizeTests {
  @Test(arguments: [
    ("0", Int64(0)),
    ("1048576", 1_048_576),
    ("128MB", 134_217_728),
    ("5G", 5_368_709_120),
    ("2GB", 2_147_483_648),
    ("1536MB", 1_610_612_736),
    ("500MB", 524_288_000),
    ("100GB", 107_374_182_400),
    ("1.5GB", 1_610_612_736),
    ("10MB", 10_485_760),
    ("64KB", 65_536),
    ("1k", 1024),
    ("12b", 12),
    ("2tb", 2_199_023_255_552),
    ("1P", 1_125_899_906_842_624),
    (" 128 mb ", 134_217_728),
    ("32Gi", 34_359_738_368),
    ("0MB", 0),
    (".5KB", 512),
  ])
  func parses(text: String, bytes: Int64) throws {
    #expect(try ByteSize.parse(text) == bytes)
  }

  @Test(arguments: ["", "MB", "12XB", "-5MB", "1.2.3GB", "1.GB", "abc", "5 G B", "1e3"])
  func rejectsMalformedSizes(text: String) {
    #expect(throws: GooseFSError.self) { try ByteSize.parse(text) }
  }

  @Test(arguments: ["9000000PB", "99999999999999999999", "8EB", "8192PB"])
  func rejectsOverflow(text: String) {
    #expect(throws: GooseFSError.self) { try ByteSize.parse(text) }
  }

  @Test func largestSizeStillParses() throws {
    #expect(try ByteSize.parse("9223372036854775807") == Int64.max)
    #expect(try ByteSize.parse("8191PB") == 8191 * (Int64(1) << 50))
  }

  /// Expected output of Alluxio's FormatUtils.getSizeFromBytes.
  static let formatted: [(Int64, String)] = [
    (Int64(0), "0B"),
    (4352, "4352B"),
    (5120, "5120B"),
    (5121, "5.00KB"),
    (29820, "29.12KB"),
    (5_000_000_000, "4768.37MB"),
    (3_200_000_000, "3051.76MB"),
    (5 * 1024 * 1024, "5120.00KB"),
    (5 * 1024 * 1024 + 1, "5.00MB"),
    (134_217_728, "128.00MB"),
    (107_374_182_400, "100.00GB"),
    (Int64(1) << 53, "8.00PB"),
    (6 * 1024 + 128, "6.13KB"),  // an exact tie rounds up, as Java's %.2f does
  ]

  @Test(arguments: formatted)
  func formatsLikeAlluxio(bytes: Int64, text: String) {
    #expect(ByteSize.format(bytes) == text)
  }
}
