import GooseFSCore
import NIOCore
import Synchronization

/// A positioned reader over one object, fixed to the version (ETag) seen at open so that a
/// replaced object fails reads with `.failedPrecondition` instead of mixing two versions.
///
/// Each read is one ranged GET of at most the requested length, unless the reads turn
/// sequential: then the configured strategy (streaming or parallel) takes over, see
/// `SequentialReadPlanner`. Concurrent readers are fine; only one of them uses the
/// sequential machinery at a time.
final class ObjectStoreInputStream: UFSInputStream {
  private let client: ObjectStoreClient
  private let key: String
  private let head: ObjectHead
  private let planner: SequentialReadPlanner
  private let isClosed = Atomic<Bool>(false)

  init(client: ObjectStoreClient, key: String, head: ObjectHead) {
    self.client = client
    self.key = key
    self.head = head
    self.planner = SequentialReadPlanner(client: client, key: key, head: head)
  }

  func read(offset: Int64, length: Int) async throws -> ByteBuffer {
    guard offset >= 0, length >= 0 else {
      throw GooseFSError(.invalidArgument, "Invalid read of \(length) bytes at offset \(offset) of \"\(client.display(key))\".")
    }
    guard !isClosed.load(ordering: .acquiring) else {
      throw GooseFSError(.failedPrecondition, "Cannot read \"\(client.display(key))\": the stream is closed.")
    }
    guard length > 0, offset < head.length else { return ByteBuffer() }
    let count = Int(min(Int64(length), head.length - offset))
    if let buffer = try await planner.readSequentially(offset: offset, count: count) {
      return buffer
    }
    return try await client.getRange(key, offset: offset, length: count, etag: head.etag)
  }

  func close() async {
    guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
    await planner.close()
  }
}

/// Decides per read whether it continues the previous one and, if so, serves it from a
/// streaming or parallel source; returns nil to let the caller issue a plain ranged GET.
actor SequentialReadPlanner {
  private enum Source {
    case streaming(StreamingObjectReader)
    case parallel(ParallelRangeReader)

    func read(count: Int) async throws -> ByteBuffer {
      switch self {
      case .streaming(let reader): try await reader.read(count: count)
      case .parallel(let reader): try await reader.read(count: count)
      }
    }

    func close() async {
      switch self {
      case .streaming(let reader): await reader.close()
      case .parallel(let reader): await reader.close()
      }
    }
  }

  private let client: ObjectStoreClient
  private let key: String
  private let head: ObjectHead
  private let strategy: ObjectStoreTuning.ReadStrategy
  /// Where the previous read ended.
  private var expectedOffset: Int64?
  private var source: Source?
  /// The source's position (where the next byte it delivers lies).
  private var sourcePosition: Int64 = -1
  private var busy = false

  init(client: ObjectStoreClient, key: String, head: ObjectHead) {
    self.client = client
    self.key = key
    self.head = head
    self.strategy = client.location.tuning.readStrategy
  }

  func readSequentially(offset: Int64, count: Int) async throws -> ByteBuffer? {
    guard strategy != .ranged, !busy else { return nil }
    // A read continuing the previous one, or a read at offset 0 (the start of a scan: whole-file
    // copies and block loads from the start — also when the stream is reused for a second scan,
    // as workers do), switches to the sequential source.
    let continues = offset == expectedOffset || offset == 0
    expectedOffset = offset + Int64(count)
    // A one-off read, or the last bytes of the object: a single ranged GET is cheapest.
    guard continues, offset + Int64(count) < head.length || source != nil else {
      if source != nil, !continues { await dropSource() }
      return nil
    }
    busy = true
    defer { busy = false }
    if source == nil || sourcePosition != offset {
      await dropSource()
      source = makeSource(at: offset)
      sourcePosition = offset
    }
    guard let source else { return nil }
    do {
      let buffer = try await source.read(count: count)
      sourcePosition += Int64(buffer.readableBytes)
      return buffer
    } catch {
      await dropSource()
      throw error
    }
  }

  func close() async {
    await dropSource()
    expectedOffset = nil
  }

  private func makeSource(at offset: Int64) -> Source {
    let tuning = client.location.tuning
    switch strategy {
    case .parallel:
      return .parallel(
        ParallelRangeReader(
          client: client, key: key, etag: head.etag, objectLength: head.length, start: offset,
          partSize: tuning.readPartSize, parallelism: tuning.readParallelism))
    case .streaming, .ranged:
      return .streaming(
        StreamingObjectReader(
          client: client, key: key, etag: head.etag, objectLength: head.length, start: offset,
          capacity: Int(tuning.readPartSize)))
    }
  }

  private func dropSource() async {
    let old = source
    source = nil
    sourcePosition = -1
    await old?.close()
  }
}
