import NIOCore

/// The last bytes a handle read from its stream, ending where the stream stands. The kernel's
/// read-ahead sends a file's requests from several libfuse threads, so they can reach the handle
/// slightly out of order; answering a request just behind the stream from here, and reading
/// forward for one just ahead, keeps the stream sequential (a seek restarts the worker's block
/// read, and on a cold file that is a new under-store GET).
struct ReadWindow {
  /// Contiguous pieces; the last one ends at `end`.
  private var pieces: [(start: Int64, bytes: ByteBuffer)] = []
  private(set) var end: Int64 = 0
  private var size = 0
  /// Bytes kept: two requests' worth (1 MiB each at most; the kernel reorders within one
  /// read-ahead window, 1 MiB here). Also how far ahead a read may jump without a seek.
  let capacity: Int

  init(capacity: Int = 2 << 20) { self.capacity = capacity }

  var start: Int64 { pieces.first?.start ?? end }

  /// Starts over at `position` (after a seek).
  mutating func reset(at position: Int64) {
    pieces.removeAll()
    size = 0
    end = position
  }

  mutating func append(_ bytes: ByteBuffer) {
    guard bytes.readableBytes > 0 else { return }
    pieces.append((end, bytes))
    end += Int64(bytes.readableBytes)
    size += bytes.readableBytes
    while size > capacity, pieces.count > 1 {
      size -= pieces.removeFirst().bytes.readableBytes
    }
  }

  /// The bytes of [offset, offset + count) if the window holds them all: a slice when one
  /// piece does (no copy), else a copy.
  func bytes(at offset: Int64, count: Int) -> ByteBuffer? {
    guard offset >= start, offset + Int64(count) <= end else { return nil }
    guard let first = pieces.lastIndex(where: { $0.start <= offset }) else { return nil }
    let inFirst = Int(offset - pieces[first].start)
    if inFirst + count <= pieces[first].bytes.readableBytes {
      return pieces[first].bytes.getSlice(at: pieces[first].bytes.readerIndex + inFirst, length: count)
    }
    var result = ByteBufferAllocator().buffer(capacity: count)
    var index = first
    var skip = inFirst
    while result.readableBytes < count, index < pieces.count {
      let piece = pieces[index].bytes
      let take = min(piece.readableBytes - skip, count - result.readableBytes)
      result.writeImmutableBuffer(piece.getSlice(at: piece.readerIndex + skip, length: take)!)
      skip = 0
      index += 1
    }
    return result
  }
}
