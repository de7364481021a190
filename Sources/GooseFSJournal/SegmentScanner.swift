import GooseFSCore

/// What parsing one segment file found.
struct SegmentScan {
  var firstSequence: UInt64?
  var lastSequence: UInt64?
  /// Bytes from the start of the file through the last intact frame.
  var validLength: Int
  /// Bytes after `validLength` that belong to an interrupted write (last segment only).
  var tornBytes: Int
}

/// Parses a segment held in memory and decides, for a bad frame, between an interrupted write
/// (safe to cut off) and corruption (must stop the master).
///
/// The rule: damage is a torn tail only if it is in the last segment and *nothing intact follows
/// it*. An interrupted append can only damage the end of the log; intact entries after a bad one
/// mean bytes in the middle changed, and silently dropping the bad entry would make the replayed
/// state diverge from what the master acknowledged.
enum SegmentScanner {
  static func scan(
    _ bytes: UnsafeRawBufferPointer,
    path: String,
    firstSequence: UInt64,
    isLastSegment: Bool,
    keepingAfter checkpointSequence: UInt64,
    into records: inout [JournalRecord]
  ) throws -> SegmentScan {
    guard try hasValidHeader(bytes, path: path, isLastSegment: isLastSegment) else {
      // A segment whose header never fully reached the disk: the writer died right after
      // creating it, before any entry in it was acknowledged.
      return SegmentScan(validLength: 0, tornBytes: bytes.count)
    }
    var scan = SegmentScan(validLength: SegmentLayout.headerSize, tornBytes: 0)
    var offset = SegmentLayout.headerSize
    var expected = firstSequence
    while offset < bytes.count {
      if let header = FrameLayout.header(in: bytes, at: offset),
        header.sequence == expected,
        FrameLayout.isIntact(header, in: bytes, at: offset)
      {
        if header.sequence > checkpointSequence {
          records.append(JournalRecord(sequence: header.sequence, payload: copyPayload(bytes, header, at: offset)))
        }
        scan.firstSequence = scan.firstSequence ?? header.sequence
        scan.lastSequence = header.sequence
        expected += 1
        offset += header.frameSize
        continue
      }
      let problem = describeBadFrame(bytes, at: offset, expected: expected)
      guard isLastSegment else {
        throw corrupted(path, offset, problem + "; the segment is not the last one, so this is not an interrupted write")
      }
      if let header = FrameLayout.header(in: bytes, at: offset), FrameLayout.isIntact(header, in: bytes, at: offset) {
        throw corrupted(path, offset, problem)  // Intact but out of order: entries are missing.
      }
      if let next = offsetOfIntactFrame(in: bytes, after: offset, expected: expected) {
        throw corrupted(path, offset, problem + "; intact entries follow at byte offset \(next), so this is not an interrupted write")
      }
      scan.tornBytes = bytes.count - offset
      break
    }
    scan.validLength = offset
    return scan
  }

  static func corrupted(_ path: String, _ offset: Int, _ problem: String) -> GooseFSError {
    GooseFSError(
      .corrupted,
      "Journal file \(path) is corrupted at byte offset \(offset): \(problem). "
        + "The journal must be restored from a backup or formatted.")
  }

  /// False for a header torn by a crash (short or all zeros) in the last segment.
  private static func hasValidHeader(_ bytes: UnsafeRawBufferPointer, path: String, isLastSegment: Bool) throws -> Bool {
    let headerSize = SegmentLayout.headerSize
    let isTorn = bytes.count < headerSize || bytes[0..<headerSize].allSatisfy { $0 == 0 }
    if isTorn {
      if isLastSegment { return false }
      throw corrupted(path, 0, "the segment header is missing")
    }
    guard Array(bytes[0..<4]) == SegmentLayout.magic else {
      throw corrupted(path, 0, "this is not a journal segment (bad magic number)")
    }
    let version = bytes.readLittleEndian(UInt32.self, at: 4)
    guard version == SegmentLayout.version else {
      throw GooseFSError(
        .failedPrecondition,
        "Journal file \(path) has format version \(version); this master reads version \(SegmentLayout.version)")
    }
    return true
  }

  private static func describeBadFrame(_ bytes: UnsafeRawBufferPointer, at offset: Int, expected: UInt64) -> String {
    guard let header = FrameLayout.header(in: bytes, at: offset) else {
      return "incomplete frame header (\(bytes.count - offset) bytes)"
    }
    let available = bytes.count - offset - FrameLayout.headerSize
    if header.payloadLength > available {
      return "entry length \(header.payloadLength) runs past the end of the file (\(available) bytes left)"
    }
    if !FrameLayout.isIntact(header, in: bytes, at: offset) {
      return "checksum mismatch in the entry expected to have sequence \(expected)"
    }
    return "expected sequence \(expected) but found \(header.sequence)"
  }

  /// The offset of an intact frame after `start` whose sequence could follow the damaged one.
  /// Comparing the sequence first keeps this linear: the checksum is computed only for the rare
  /// positions where a plausible sequence number appears.
  private static func offsetOfIntactFrame(in bytes: UnsafeRawBufferPointer, after start: Int, expected: UInt64) -> Int? {
    let plausibleMaximum = expected + UInt64((bytes.count - start) / FrameLayout.headerSize)
    var offset = start + 1
    while offset + FrameLayout.headerSize <= bytes.count {
      let sequence = bytes.readLittleEndian(UInt64.self, at: offset + 8)
      if sequence >= expected, sequence <= plausibleMaximum,
        let header = FrameLayout.header(in: bytes, at: offset),
        FrameLayout.isIntact(header, in: bytes, at: offset)
      {
        return offset
      }
      offset += 1
    }
    return nil
  }

  private static func copyPayload(_ bytes: UnsafeRawBufferPointer, _ header: FrameLayout.Header, at offset: Int) -> [UInt8] {
    let start = offset + FrameLayout.headerSize
    return [UInt8](unsafeUninitializedCapacity: header.payloadLength) { buffer, count in
      if header.payloadLength > 0 {
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + header.payloadLength)]))
      }
      count = header.payloadLength
    }
  }
}
