// The byte layout of journal files. All integers are little-endian.
//
// segment   := header frame*
// header    := magic "GFSJ" (4 bytes) | format version u32
// frame     := payload length u32 | CRC32C(sequence bytes + payload) u32 | sequence u64 | payload
//
// The header carries a version so a later format can be recognised instead of being misread as
// corruption. The CRC covers the sequence as well as the payload so a frame that is intact but
// in the wrong place (e.g. a stale block) is still caught by the sequence check.

enum SegmentLayout {
  static let magic: [UInt8] = Array("GFSJ".utf8)
  static let version: UInt32 = 1
  static let headerSize = 8

  static func header() -> [UInt8] {
    var bytes = magic
    bytes.appendLittleEndian(version)
    return bytes
  }
}

enum FrameLayout {
  static let headerSize = 16
  static let maxPayloadSize = Int(UInt32.max)

  /// Appends the framed entry to `buffer` (the writer queue), computing the checksum in place.
  static func append(sequence: UInt64, payload: [UInt8], to buffer: inout [UInt8]) {
    var sequenceBytes = sequence.littleEndian
    let sequenceCRC = withUnsafeBytes(of: &sequenceBytes) { CRC32C.checksum($0) }
    let crc = CRC32C.checksum(payload, continuing: sequenceCRC)
    buffer.appendLittleEndian(UInt32(payload.count))
    buffer.appendLittleEndian(crc)
    buffer.appendLittleEndian(sequence)
    buffer.append(contentsOf: payload)
  }

  /// A frame header read from disk, before its checksum is known to be right.
  struct Header {
    var payloadLength: Int
    var crc: UInt32
    var sequence: UInt64
    var frameSize: Int { FrameLayout.headerSize + payloadLength }
  }

  /// The header at `offset`, or nil when fewer than `headerSize` bytes remain.
  static func header(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Header? {
    guard bytes.count - offset >= headerSize else { return nil }
    return Header(
      payloadLength: Int(bytes.readLittleEndian(UInt32.self, at: offset)),
      crc: bytes.readLittleEndian(UInt32.self, at: offset + 4),
      sequence: bytes.readLittleEndian(UInt64.self, at: offset + 8))
  }

  /// True when the frame at `offset` fits in `bytes` and its checksum matches.
  static func isIntact(_ header: Header, in bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
    guard header.payloadLength <= bytes.count - offset - headerSize else { return false }
    let covered = UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<(offset + header.frameSize)])
    return CRC32C.checksum(covered) == header.crc
  }
}

// Layout of `checkpoint.<sequence>`:
// magic "GFSC" | version u32 | sequence u64 | payload length u64 | CRC32C(payload) u32 | reserved u32 | payload
enum CheckpointLayout {
  static let magic: [UInt8] = Array("GFSC".utf8)
  static let version: UInt32 = 1
  static let headerSize = 32
}

extension Array where Element == UInt8 {
  mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }
}

extension UnsafeRawBufferPointer {
  func readLittleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
    T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
  }
}
