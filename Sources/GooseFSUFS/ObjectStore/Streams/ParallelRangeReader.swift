import GooseFSCore
import NIOCore

/// Serves sequential reads from ranged GETs of `partSize` issued `parallelism` parts ahead of
/// the reader: for stores whose per-connection throughput is the limit (real S3 and COS give
/// roughly 50–100 MB/s per connection), many ranges in flight add up. Memory is bounded by
/// `parallelism × partSize`; parts behind the reader are dropped.
actor ParallelRangeReader {
  private let client: ObjectStoreClient
  private let key: String
  private let etag: String?
  private let objectLength: Int64
  private let partSize: Int64
  private let parallelism: Int

  private(set) var position: Int64
  private var parts: [Int64: Task<ByteBuffer, any Error>] = [:]
  private var closed = false

  init(
    client: ObjectStoreClient, key: String, etag: String?, objectLength: Int64, start: Int64,
    partSize: Int64, parallelism: Int
  ) {
    self.client = client
    self.key = key
    self.etag = etag
    self.objectLength = objectLength
    self.position = start
    self.partSize = partSize
    self.parallelism = max(parallelism, 1)
  }

  func read(count: Int) async throws -> ByteBuffer {
    let end = min(position + Int64(count), objectLength)
    var result = ByteBuffer()
    guard end > position else { return result }
    result.reserveCapacity(Int(end - position))
    while position < end {
      guard !closed else { throw GooseFSError(.failedPrecondition, "The input stream is closed.") }
      let index = position / partSize
      schedule(from: index)
      guard let task = parts[index] else { break }
      let part: ByteBuffer
      do {
        part = try await task.value
      } catch {
        // A failed part is fetched afresh on the next read rather than failing it forever.
        parts[index] = nil
        throw error
      }
      let offsetInPart = Int(position - index * partSize)
      let n = min(part.readableBytes - offsetInPart, Int(end - position))
      guard n > 0, var slice = part.getSlice(at: part.readerIndex + offsetInPart, length: n) else {
        throw GooseFSError(.ioError, "Short ranged read of \"\(client.display(key))\" at byte \(position).")
      }
      result.writeBuffer(&slice)
      position += Int64(n)
      if position >= (index + 1) * partSize || position >= objectLength {
        parts[index] = nil
      }
    }
    return result
  }

  func close() {
    closed = true
    for task in parts.values { task.cancel() }
    parts.removeAll()
  }

  /// Keeps parts `[index, index + parallelism)` requested and forgets the ones behind.
  private func schedule(from index: Int64) {
    for stale in parts.keys where stale < index {
      parts[stale]?.cancel()
      parts[stale] = nil
    }
    let lastPart = (objectLength - 1) / partSize
    var next = index
    while next <= min(lastPart, index + Int64(parallelism) - 1) {
      if parts[next] == nil {
        let start = next * partSize
        let length = Int(min(partSize, objectLength - start))
        let client = self.client
        let key = self.key
        let etag = self.etag
        parts[next] = Task { try await client.getRange(key, offset: start, length: length, etag: etag) }
      }
      next += 1
    }
  }
}
