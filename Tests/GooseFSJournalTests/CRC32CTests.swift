import Testing

@testable import GooseFSJournal

@Suite struct CRC32CTests {
  @Test func standardCheckValue() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
  }

  @Test func emptyInputIsZero() {
    #expect(CRC32C.checksum([]) == 0)
  }

  // Test vectors from RFC 3720 (iSCSI), appendix B.4.
  @Test func rfc3720Vectors() {
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
  }

  /// The slicing-by-8 path agrees with the bit-at-a-time definition at every length and
  /// alignment, including the byte-wise tail.
  @Test func matchesBitwiseDefinition() {
    var generator = SystemRandomNumberGenerator()
    for length in 0..<80 {
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      #expect(CRC32C.checksum(bytes) == bitwiseCRC32C(bytes), "length \(length)")
      let unaligned = Array(bytes.dropFirst(min(3, length)))
      #expect(CRC32C.checksum(unaligned) == bitwiseCRC32C(unaligned))
    }
  }

  @Test func continuingEqualsWhole() {
    let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 * 7) }
    for split in [0, 1, 8, 13, 99, 100] {
      let first = CRC32C.checksum(Array(bytes[..<split]))
      #expect(CRC32C.checksum(Array(bytes[split...]), continuing: first) == CRC32C.checksum(bytes))
    }
  }

  private func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
  }
}
