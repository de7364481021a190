import GooseFSCore
import GooseFSUFS
import NIOCore

/// Helpers for the moto-backed object-store tests.
enum ObjectStoreTestSupport {
  /// A deterministic, non-repeating-looking byte pattern, so a misplaced range shows up.
  static func patternByte(_ index: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13 ^ index)
  }

  static func pattern(offset: Int, count: Int) -> [UInt8] {
    (offset..<(offset + count)).map(patternByte)
  }

  /// Writes `size` pattern bytes in writes of `chunk` bytes (odd sizes cross part boundaries).
  static func writePattern(_ ufs: any UnderFileSystem, _ path: String, size: Int, chunk: Int) async throws {
    let stream = try await ufs.create(path, mode: 0o644, createParents: true)
    var offset = 0
    while offset < size {
      let n = min(chunk, size - offset)
      try await stream.write(ByteBuffer(bytes: pattern(offset: offset, count: n)))
      offset += n
    }
    try await stream.close()
  }

  /// Reads the whole file sequentially in `chunk`-byte reads and checks every byte.
  static func readAndCheckPattern(_ stream: any UFSInputStream, size: Int, chunk: Int) async throws -> Bool {
    var offset = 0
    while offset < size {
      let buffer = try await stream.read(offset: Int64(offset), length: chunk)
      let expected = min(chunk, size - offset)
      guard buffer.readableBytes == expected, Array(buffer.readableBytesView) == pattern(offset: offset, count: expected) else {
        return false
      }
      offset += expected
    }
    return try await stream.read(offset: Int64(size), length: chunk).readableBytes == 0
  }

  /// Every path below `root` found by listing and recursing, relative to the root ("/a/b"),
  /// with file sizes (-1 for directories).
  static func walk(_ ufs: any UnderFileSystem, _ root: UFSURI) async throws -> [String: Int64] {
    var found: [String: Int64] = [:]
    var pending = [root]
    while let directory = pending.popLast() {
      guard let children = try await ufs.list(directory.description) else { continue }
      for child in children {
        let location = try directory.joining(child.name)
        let relative = "/" + (root.relativePath(of: location) ?? "")
        found[relative] = child.isDirectory ? -1 : child.length
        if child.isDirectory { pending.append(location) }
      }
    }
    return found
  }
}
