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
  /// Local blocks mapped for `withLocalBytes`, by block index; nil marks a block that is not.
  private let mappedBlocks = Mutex<[Int: MappedLocalBlock?]>([:])
  /// Bounds the leases one stream holds on a worker's blocks.
  private static let maxMappedBlocks = 64

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
        guard BlockFailover.isWorkerFailure(mapped), let failed, !excluded.contains(failed) else { throw mapped }
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
        guard BlockFailover.isWorkerFailure(mapped), let failed, !excluded.contains(failed) else { throw mapped }
        excluded.insert(failed)
        refresh = true
        lastError = mapped
      }
    }
    return result ?? ByteBuffer()
  }

  func withLocalBytes<T>(at position: Int64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) async throws -> T? {
    guard let (index, block, offsetInBlock, wanted) = localRange(at: position, count: count),
      let mapped = try await mappedBlock(index, block)
    else { return nil }
    return try mapped.withBytes(at: offsetInBlock, count: wanted, body)
  }

  func withMappedBytes<T>(at position: Int64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
    guard let (index, _, offsetInBlock, wanted) = localRange(at: position, count: count),
      let entry = mappedBlocks.withLock({ $0[index] }), let mapped = entry
    else { return nil }
    return try mapped.withBytes(at: offsetInBlock, count: wanted, body)
  }

  /// The block holding `count` bytes at `position` (clipped at the end of the file), or nil when
  /// the range is empty or crosses a block end.
  private func localRange(at position: Int64, count: Int) -> (Int, FileBlockInfo, Int, Int)? {
    guard position >= 0, position < info.length, info.blockSizeBytes > 0 else { return nil }
    let index = Int(position / info.blockSizeBytes)
    guard index < info.fileBlockInfos.count else { return nil }
    let block = info.fileBlockInfos[index]
    let offsetInBlock = Int(position - block.offset)
    let wanted = Int(min(Int64(count), info.length - position))
    guard offsetInBlock + wanted <= block.length else { return nil }
    return (index, block, offsetInBlock, wanted)
  }

  private func mappedBlock(_ index: Int, _ block: FileBlockInfo) async throws -> MappedLocalBlock? {
    let known = mappedBlocks.withLock { blocks -> MappedLocalBlock?? in
      if let entry = blocks[index] { return .some(entry) }
      return blocks.count >= Self.maxMappedBlocks ? .some(nil) : .none
    }
    if let known { return known }
    var opened: MappedLocalBlock?
    if let reader = try await access.openLocal(for: info, block: block) {
      do {
        opened = MappedLocalBlock(reader: reader, bytes: try reader.mapped())
      } catch {
        await reader.close()
      }
    }
    let candidate = opened
    let kept = mappedBlocks.withLock { blocks -> MappedLocalBlock? in
      if let existing = blocks[index] { return existing }
      blocks[index] = .some(candidate)
      return candidate
    }
    if let opened, kept !== opened { await opened.reader.close() }
    return kept
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
    let mapped = mappedBlocks.withLock { blocks in
      defer { blocks.removeAll() }
      return blocks.values.compactMap { $0 }
    }
    for block in mapped { await block.reader.close() }
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

/// A local block file mapped into memory, with the lease that keeps it (closed with the stream).
/// Immutable once made: any task may read the bytes.
final class MappedLocalBlock: @unchecked Sendable {
  let reader: LocalBlockReader
  let bytes: UnsafeRawBufferPointer

  init(reader: LocalBlockReader, bytes: UnsafeRawBufferPointer) {
    self.reader = reader
    self.bytes = bytes
  }

  /// `count` bytes at `offset` in the block, counted as a local read.
  func withBytes<T>(at offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
    reader.countMapped(count)
    return try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
  }
}
