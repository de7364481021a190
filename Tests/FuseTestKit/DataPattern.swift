// File contents derived from (stream seed, absolute offset). Because every byte depends only on
// its position, any chunk of a multi-GiB file can be regenerated on its own and compared, so
// checks never hold a whole large file in memory and never need a stored copy.

public enum DataPattern {
  /// Fills `buffer` with the bytes that stream `seed` has at offsets `offset ..< offset + count`.
  public static func fill(_ buffer: UnsafeMutableRawBufferPointer, seed: UInt64, offset: Int) {
    precondition(offset >= 0, "offset must not be negative")
    let count = buffer.count
    var index = 0
    // Unaligned head: byte by byte until the absolute offset is a multiple of 8.
    while index < count && (offset + index) & 7 != 0 {
      buffer[index] = byte(seed: seed, offset: offset + index)
      index += 1
    }
    // Body: one mixed word per 8 bytes (little-endian, so byte k of the word is offset 8w+k).
    while index + 8 <= count {
      let word = self.word(seed: seed, index: (offset + index) >> 3)
      buffer.storeBytes(of: word.littleEndian, toByteOffset: index, as: UInt64.self)
      index += 8
    }
    while index < count {
      buffer[index] = byte(seed: seed, offset: offset + index)
      index += 1
    }
  }

  /// The pattern as an array; for the small buffers of the random tester and the content checks.
  public static func bytes(count: Int, seed: UInt64, offset: Int = 0) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      fill(UnsafeMutableRawBufferPointer(buffer), seed: seed, offset: offset)
      initialized = count
    }
  }

  @inline(__always)
  static func byte(seed: UInt64, offset: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: word(seed: seed, index: offset >> 3) >> (UInt64(offset & 7) * 8))
  }

  /// Word `index` of stream `seed`; the odd multiplier spreads consecutive indexes apart
  /// before mixing, so small seeds and small indexes do not produce related words.
  @inline(__always)
  static func word(seed: UInt64, index: Int) -> UInt64 {
    SplitMix64.mix(seed ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
  }
}
