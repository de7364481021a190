import GooseFSClient
import GooseFSCore
import NIOCore
import Synchronization

/// Reads a byte array, at most `chunkLimit` bytes per call so that callers must loop. With
/// `failingAfter`, a read past that many bytes throws (a worker that died mid-file).
final class InMemoryInStream: FileInStream {
  let info: FileInfo
  private let bytes: [UInt8]
  private let chunkLimit: Int
  private let failingAfter: Int?
  private let position = Mutex<Int64>(0)

  init(info: FileInfo, bytes: [UInt8], chunkLimit: Int, failingAfter: Int? = nil) {
    self.info = info
    self.bytes = bytes
    self.chunkLimit = max(chunkLimit, 1)
    self.failingAfter = failingAfter
  }

  static let workerLost = "Connection to worker lost while reading"

  func read(maxLength: Int) async throws -> ByteBuffer {
    try position.withLock { position in
      if let failingAfter, position >= failingAfter { throw GooseFSError(.unavailable, Self.workerLost) }
      let chunk = slice(from: position, maxLength: maxLength)
      position += Int64(chunk.readableBytes)
      return chunk
    }
  }

  func pread(at position: Int64, maxLength: Int) async throws -> ByteBuffer {
    guard position >= 0 else { throw GooseFSError(.invalidArgument, "Negative position \(position)") }
    if let failingAfter, position >= failingAfter { throw GooseFSError(.unavailable, Self.workerLost) }
    return slice(from: position, maxLength: maxLength)
  }

  func seek(to position: Int64) throws {
    guard position >= 0, position <= Int64(bytes.count) else {
      throw GooseFSError(.invalidArgument, "Seek position \(position) is outside the file")
    }
    self.position.withLock { $0 = position }
  }

  func close() async {}

  private func slice(from start: Int64, maxLength: Int) -> ByteBuffer {
    let lower = Int(min(start, Int64(bytes.count)))
    let upper = min(lower + min(maxLength, chunkLimit), bytes.count)
    return ByteBuffer(bytes: bytes[lower..<upper])
  }
}

/// Collects written bytes; `close` hands them to the file system, `cancel` removes the file.
/// A failing stream throws on its second write, after some bytes went through.
final class InMemoryOutStream: FileOutStream {
  let path: String
  var created: FileInfo { FileInfo(name: String(path.split(separator: "/").last ?? ""), path: path, completed: false) }
  private let failing: Bool
  private let written = Mutex<(bytes: [UInt8], writes: Int)>(([], 0))
  private let commit: @Sendable ([UInt8]) throws -> FileInfo
  private let abandon: @Sendable () -> Void

  init(
    path: String, failing: Bool, commit: @escaping @Sendable ([UInt8]) throws -> FileInfo,
    abandon: @escaping @Sendable () -> Void
  ) {
    self.path = path
    self.failing = failing
    self.commit = commit
    self.abandon = abandon
  }

  var bytesWritten: Int64 { written.withLock { Int64($0.bytes.count) } }

  func write(_ buffer: ByteBuffer) async throws {
    try written.withLock { written in
      written.writes += 1
      if failing && written.writes > 1 { throw GooseFSError(.ioError, "Connection to worker lost while writing \(path)") }
      written.bytes += buffer.readableBytesView
    }
  }

  func close() async throws -> FileInfo {
    try commit(written.withLock { $0.bytes })
  }

  func cancel() async { abandon() }
}
