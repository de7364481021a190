import GooseFSCore
import GooseFSRPC
import NIOCore
import Synchronization

/// Reads a completed file block by block from workers. Sequential reads keep one block stream
/// open (the worker streams ahead); a worker that fails mid-read is excluded and the read goes on
/// at the same position from another copy, or through another worker reading the under store.
///
/// `read`/`seek` are for one task at a time (a second concurrent caller gets an error, never
/// corrupt state); `pread` may be called concurrently with anything.
final class BlockFileInStream: FileInStream, @unchecked Sendable {
  let info: FileInfo
  private let access: BlockAccess
  private let busy = Mutex(false)
  // Guarded by `busy`:
  private var position: Int64 = 0
  private var reader: (any BlockReader)?
  /// Where `reader` would continue; a seek elsewhere makes it stale.
  private var readerPosition: Int64 = 0
  /// Workers that failed this stream: not asked again while others can serve.
  private var excluded: Set<Int64> = []

  private let readType: ReadType?

  init(info: FileInfo, access: BlockAccess, readType: ReadType? = nil) {
    self.info = info
    self.access = access
    self.readType = readType
  }

  func read(maxLength: Int) async throws -> ByteBuffer {
    try enter()
    defer { leave() }
    guard position < info.length, maxLength > 0 else { return ByteBuffer() }
    if let stale = reader, readerPosition != position {
      reader = nil
      await stale.close()
    }
    var lastError: GooseFSError?
    while true {
      do {
        if reader == nil {
          reader = try await access.openReader(
            for: info, at: position, excluding: excluded, refresh: lastError != nil, readType: readType,
            lastFailure: lastError)
        }
        if let chunk = try await reader!.next(maxLength: maxLength) {
          position += Int64(chunk.readableBytes)
          readerPosition = position
          return chunk
        }
        await reader!.close()
        reader = nil
        guard position < info.length else { return ByteBuffer() }
      } catch {
        let (failed, mapped) = WorkerFailure.classify(error, reader: reader)
        await reader?.close()
        reader = nil
        guard BlockAccess.isWorkerFailure(mapped), let failed, !excluded.contains(failed) else { throw mapped }
        excluded.insert(failed)
        lastError = mapped
      }
    }
  }

  func pread(at position: Int64, maxLength: Int) async throws -> ByteBuffer {
    guard position >= 0 else { throw GooseFSError(.invalidArgument, "Negative read position \(position)") }
    let end = min(info.length, position + Int64(max(0, maxLength)))
    guard position < end else { return ByteBuffer() }
    var result: ByteBuffer?
    var cursor = position
    var excluded: Set<Int64> = []
    var refresh = false
    var lastError: GooseFSError?
    while cursor < end {
      var reader: (any BlockReader)?
      do {
        reader = try await access.openReader(
          for: info, at: cursor, excluding: excluded, refresh: refresh, limit: end - cursor, readType: readType,
          lastFailure: lastError)
        while cursor < end, let chunk = try await reader!.next(maxLength: Int(end - cursor)) {
          cursor += Int64(chunk.readableBytes)
          if result == nil {
            result = chunk
          } else {
            var chunk = chunk
            result!.writeBuffer(&chunk)
          }
        }
        await reader!.close()
      } catch {
        let (failed, mapped) = WorkerFailure.classify(error, reader: reader)
        await reader?.close()
        guard BlockAccess.isWorkerFailure(mapped), let failed, !excluded.contains(failed) else { throw mapped }
        excluded.insert(failed)
        refresh = true
        lastError = mapped
      }
    }
    return result ?? ByteBuffer()
  }

  func seek(to position: Int64) throws {
    try enter()
    defer { leave() }
    guard position >= 0 else { throw GooseFSError(.invalidArgument, "Cannot seek to negative position \(position)") }
    // An open block stream is closed by the next read if it no longer matches the position.
    self.position = position
  }

  func close() async {
    guard (try? enter()) != nil else { return }
    defer { leave() }
    await reader?.close()
    reader = nil
    await access.reportLocalBytes()
  }

  private func enter() throws {
    let free = busy.withLock { busy -> Bool in
      guard !busy else { return false }
      busy = true
      return true
    }
    guard free else {
      throw GooseFSError(.failedPrecondition, "Concurrent sequential reads of \(info.path) on one stream; use pread.")
    }
  }

  private func leave() { busy.withLock { $0 = false } }
}
