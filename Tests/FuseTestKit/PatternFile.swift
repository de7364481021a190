// Writing and verifying DataPattern streams through a descriptor, chunk by chunk, so files of
// any size (2 GiB on the mount) are checked bit for bit in constant memory.
import Glibc

enum PatternFile {
  /// Sequentially writes bytes 0..<size of stream `seed` with write() in `chunk`-sized calls.
  static func write(fd: Int32, size: Int, seed: UInt64, chunk: Int = 1 << 20) -> SyscallOutcome {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
    defer { buffer.deallocate() }
    var offset = 0
    while offset < size {
      let count = min(chunk, size - offset)
      let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
      DataPattern.fill(slice, seed: seed, offset: offset)
      let outcome = Sys.writeAll(fd, UnsafeRawBufferPointer(slice))
      if !outcome.succeeded { return outcome }
      offset += count
    }
    return .success(size)
  }

  /// Sequentially reads from the current position and compares with stream `seed`; expects
  /// exactly `size` bytes and then end of file. Returns nil when identical, or where it broke.
  static func verify(fd: Int32, size: Int, seed: UInt64, chunk: Int = 1 << 20) -> String? {
    let actual = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
    defer { actual.deallocate() }
    let expected = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
    defer { expected.deallocate() }
    var offset = 0
    while offset < size {
      let wanted = min(chunk, size - offset)
      let outcome = Sys.readFully(fd, UnsafeMutableRawBufferPointer(rebasing: actual[0..<wanted]))
      guard case .success(let count) = outcome else { return "read at offset \(offset) failed: \(outcome)" }
      if count < wanted { return "end of file at offset \(offset + count), expected size \(size)" }
      DataPattern.fill(UnsafeMutableRawBufferPointer(rebasing: expected[0..<count]), seed: seed, offset: offset)
      if let index = firstDifference(actual, expected, count) {
        return "contents differ at offset \(offset + index)"
      }
      offset += count
    }
    let tail = Sys.readFully(fd, UnsafeMutableRawBufferPointer(rebasing: actual[0..<1]))
    if tail != .success(0) { return "expected end of file at \(size), read returned \(tail)" }
    return nil
  }

  /// pread of an arbitrary range and comparison with the stream; for spot checks.
  static func verifyRange(fd: Int32, offset: Int, count: Int, fileSize: Int, seed: UInt64) -> String? {
    let actual = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 4096)
    defer { actual.deallocate() }
    let outcome = Sys.preadFully(fd, UnsafeMutableRawBufferPointer(rebasing: actual[0..<count]), offset: offset)
    guard case .success(let got) = outcome else { return "pread(\(offset), \(count)) failed: \(outcome)" }
    let wanted = max(0, min(count, fileSize - offset))
    if got != wanted { return "pread(\(offset), \(count)) returned \(got) bytes, expected \(wanted)" }
    let expected = UnsafeMutableRawBufferPointer.allocate(byteCount: max(got, 1), alignment: 4096)
    defer { expected.deallocate() }
    DataPattern.fill(UnsafeMutableRawBufferPointer(rebasing: expected[0..<got]), seed: seed, offset: offset)
    if let index = firstDifference(actual, expected, got) {
      return "pread(\(offset), \(count)) differs at offset \(offset + index)"
    }
    return nil
  }

  private static func firstDifference(
    _ a: UnsafeMutableRawBufferPointer, _ b: UnsafeMutableRawBufferPointer, _ count: Int
  ) -> Int? {
    if count == 0 || memcmp(a.baseAddress!, b.baseAddress!, count) == 0 { return nil }
    var index = 0
    while a[index] == b[index] { index += 1 }
    return index
  }
}
