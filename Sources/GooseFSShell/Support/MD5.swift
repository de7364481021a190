import Foundation

/// MD5 (RFC 1321), for `fs checksum`. Written here because the shell must not import C modules
/// (libcrypto) and Foundation has no digest API on Linux. Incremental, so that a file of any
/// size is hashed while it streams. Not for security: only to compare contents with `md5sum`.
struct MD5 {
  private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
  /// Bytes waiting for a full 64-byte block.
  private var pending: [UInt8] = []
  private var totalBytes: UInt64 = 0

  init() {
    pending.reserveCapacity(64)
  }

  mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
      update(UnsafeRawBufferPointer(buffer))
    }
    if contiguous == nil { update(Array(bytes)) }
  }

  /// Whole 64-byte blocks are hashed straight from `buffer`; only a partial tail is copied.
  mutating func update(_ buffer: UnsafeRawBufferPointer) {
    totalBytes &+= UInt64(buffer.count)
    var offset = 0
    if !pending.isEmpty {
      let taken = min(64 - pending.count, buffer.count)
      pending += buffer[0..<taken]
      offset = taken
      guard pending.count == 64 else { return }
      pending.withUnsafeBytes { compress($0) }
      pending.removeAll(keepingCapacity: true)
    }
    while buffer.count - offset >= 64 {
      compress(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + 64)]))
      offset += 64
    }
    pending += buffer[offset...]
  }

  /// The 16-byte digest. Padding: 0x80, zeros up to 56 mod 64, then the bit length (little endian).
  func finalize() -> [UInt8] {
    var copy = self
    let bitLength = totalBytes &* 8
    var padding: [UInt8] = [0x80]
    let afterMarker = (Int(totalBytes % 64) + 1) % 64
    padding += [UInt8](repeating: 0, count: (56 - afterMarker + 64) % 64)
    for shift in stride(from: 0, to: 64, by: 8) { padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
    copy.update(padding)
    let (a, b, c, d) = copy.state
    return [a, b, c, d].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32($0 * 8)) } }
  }

  /// Lower-case hex, as `md5sum` and Alluxio's `DigestUtils.md5Hex` print it.
  func hexDigest() -> String {
    let digits = Array("0123456789abcdef")
    return String(finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
  }

  static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var digest = MD5()
    digest.update(bytes)
    return digest.hexDigest()
  }

  // Per-round left rotations and the sine-derived constants of RFC 1321 §3.4.
  private static let shifts: [UInt32] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
  ]

  /// T[i] = floor(abs(sin(i + 1)) × 2^32).
  private static let sineTable: [UInt32] = (0..<64).map { index in
    UInt32(truncatingIfNeeded: Int64((abs(sin(Double(index + 1))) * 4_294_967_296).rounded(.down)))
  }

  private mutating func compress(_ block: UnsafeRawBufferPointer) {
    var words = [UInt32](repeating: 0, count: 16)
    for index in 0..<16 {
      words[index] = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
    }
    var (a, b, c, d) = state
    for step in 0..<64 {
      let mixed: UInt32
      let wordIndex: Int
      switch step {
      case 0..<16:
        mixed = (b & c) | (~b & d)
        wordIndex = step
      case 16..<32:
        mixed = (d & b) | (~d & c)
        wordIndex = (5 * step + 1) % 16
      case 32..<48:
        mixed = b ^ c ^ d
        wordIndex = (3 * step + 5) % 16
      default:
        mixed = c ^ (b | ~d)
        wordIndex = (7 * step) % 16
      }
      let sum = a &+ mixed &+ Self.sineTable[step] &+ words[wordIndex]
      let rotated = (sum << Self.shifts[step]) | (sum >> (32 - Self.shifts[step]))
      (a, b, c, d) = (d, b &+ rotated, b, c)
    }
    state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
  }
}
