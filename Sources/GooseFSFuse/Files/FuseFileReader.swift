import GooseFSClient
import GooseFSCore
import NIOCore
import Synchronization

/// Reads of one open handle. The kernel reads a file front to back in most cases: those reads
/// continue the same stream (the worker streams ahead of us); a read elsewhere repositions it.
/// The stream is opened on the first read, so opens that only stat or flush cost nothing.
/// Used from its handle's job queue, one read at a time; `replyFromMemory` may run on a libfuse
/// thread at any time (it only reads blocks already mapped).
final class FuseFileReader: @unchecked Sendable {
  private let path: String
  /// The status the handle was opened with, if it can serve the stream's open (dropped when it
  /// turned out stale).
  private var status: FileInfo?
  private let fileSystem: any DataFileSystem
  private let identity: CallerIdentity
  private let opened = Mutex<(any FileInStream)?>(nil)
  /// What was read last; its end is the stream's position.
  private var window = ReadWindow()

  init(
    path: String, status: FileInfo?, fileSystem: any DataFileSystem, identity: CallerIdentity,
    opened stream: (any FileInStream)? = nil
  ) {
    self.path = path
    self.status = status
    self.fileSystem = fileSystem
    self.identity = identity
    self.opened.withLock { $0 = stream }
  }

  /// Answers the read right here if its bytes are in a local block this reader has mapped
  /// already, or in a block file it opened itself: no task, no thread switch (the common case
  /// for warm sequential and random reads, and for every read of a small cached file).
  func replyFromMemory(_ request: FuseRequest, at offset: Int64, count: Int) -> Bool {
    guard let stream = opened.withLock({ $0 }) else { return false }
    guard offset < stream.info.length else {
      // At or past the end of the version this stream reads: nothing, as `read` would answer.
      request.reply(raw: UnsafeRawBufferPointer(start: nil, count: 0))
      return true
    }
    if stream.withLocalDescriptor(at: offset, count: count, { request.reply(descriptor: $0, offset: $1, count: $2) }) != nil {
      return true
    }
    return stream.withMappedBytes(at: offset, count: count, { request.reply(raw: $0) }) != nil
  }

  /// Closes the stream at once if that needs no waiting (none was opened, or it reads block
  /// files opened here); false when `close` must be awaited.
  func closeWithoutWaiting() -> Bool {
    opened.withLock { stream in
      guard let current = stream else { return true }
      guard let local = current as? LocalFileInStream else { return false }
      local.closeWithoutWaiting()
      stream = nil
      return true
    }
  }

  /// Answers a read: straight from a local worker's block file when the range is in one (the
  /// kernel copies from the page cache, no copy here), else from the stream.
  func reply(_ request: FuseRequest, at offset: Int64, count: Int) async throws {
    try await askingTheMasterIfStale { try await replyOnce(request, at: offset, count: count) }
  }

  private func replyOnce(_ request: FuseRequest, at offset: Int64, count: Int) async throws {
    let stream = try await openStream()
    if offset < stream.info.length,
      try await stream.withLocalBytes(at: offset, count: count, { request.reply(raw: $0) }) != nil
    {
      return
    }
    request.reply(bytes: try await readOnce(at: offset, count: count))
  }

  /// Up to `count` bytes at `offset`; short only at the end of the file. Requests a little
  /// behind or ahead of the stream are served through the window without a seek.
  func read(at offset: Int64, count: Int) async throws -> ByteBuffer {
    try await askingTheMasterIfStale { try await readOnce(at: offset, count: count) }
  }

  /// A stream opened from a cached status whose blocks are gone from where the status put them
  /// (another client removed or rewrote the file since it was cached): the master is asked once,
  /// and the read gets the file as it is now, or ENOENT, instead of EIO for a file it calls lost.
  private func askingTheMasterIfStale<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as GooseFSError where status != nil && (error.code == .unavailable || error.code == .notFound) {
      status = nil
      let stale = opened.withLock { stream in
        defer { stream = nil }
        return stream
      }
      await stale?.close()
      return try await body()
    }
  }

  private func readOnce(at offset: Int64, count: Int) async throws -> ByteBuffer {
    let stream = try await openStream()
    guard offset < stream.info.length, count > 0 else { return ByteBuffer() }
    let wanted = Int(min(Int64(count), stream.info.length - offset))
    if let held = window.bytes(at: offset, count: wanted) { return held }
    if offset < window.start || offset > window.end + Int64(window.capacity) {
      try stream.seek(to: offset)
      window.reset(at: offset)
    }
    let target = offset + Int64(wanted)
    while window.end < target {
      let piece = try await stream.read(maxLength: Int(target - window.end))
      guard piece.readableBytes > 0 else { break }
      window.append(piece)
    }
    return window.bytes(at: offset, count: Int(min(target, window.end) - offset)) ?? ByteBuffer()
  }

  func close() async {
    let stream = opened.withLock { stream in
      defer { stream = nil }
      return stream
    }
    await stream?.close()
  }

  private func openStream() async throws -> any FileInStream {
    if let stream = opened.withLock({ $0 }) { return stream }
    let stream = try await MasterConnection.$actingCaller.withValue(identity) {
      if let status { return try await fileSystem.openFile(status, options: OpenFileOptions()) }
      return try await fileSystem.openFile(path, options: OpenFileOptions())
    }
    opened.withLock { $0 = stream }
    window.reset(at: 0)
    return stream
  }
}
