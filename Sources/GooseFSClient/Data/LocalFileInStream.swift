import GooseFSCore
import NIOCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A small cached file read straight from the block files of a worker on this host, which this
/// client opened by itself (`LocalBlockFolders`): opening, reading and closing it exchange nothing
/// with the worker or the master, and nothing in it waits, so a FUSE thread can serve a whole
/// open–read–close of a small file without starting a task.
///
/// `read`/`seek` are for one caller at a time; `pread` and `withLocalDescriptor` may run
/// concurrently with each other but not with `close` (a FUSE handle is released only after its
/// reads are answered).
public final class LocalFileInStream: FileInStream, @unchecked Sendable {
  public let info: FileInfo
  /// One descriptor per block, in file order.
  private let descriptors: [Int32]
  private let table: LocalLeaseTable?
  private let access: BlockAccess
  private let position = Mutex<Int64>(0)
  private let closed = Atomic<Bool>(false)

  init(info: FileInfo, descriptors: [Int32], table: LocalLeaseTable?, access: BlockAccess) {
    self.info = info
    self.descriptors = descriptors
    self.table = table
    self.access = access
  }

  deinit { closeDescriptors() }

  public func read(maxLength: Int) async throws -> ByteBuffer {
    let start = position.withLock { $0 }
    let bytes = try pread(start, maxLength: maxLength)
    position.withLock { $0 = start + Int64(bytes.readableBytes) }
    return bytes
  }

  public func pread(at position: Int64, maxLength: Int) async throws -> ByteBuffer {
    try pread(position, maxLength: maxLength)
  }

  public func seek(to position: Int64) throws {
    guard position >= 0 else { throw GooseFSError(.invalidArgument, "Cannot seek to negative position \(position)") }
    self.position.withLock { $0 = position }
  }

  public func withLocalDescriptor<T>(
    at position: Int64, count: Int, _ body: (_ fd: Int32, _ offset: Int64, _ count: Int) throws -> T
  ) rethrows -> T? {
    guard let (index, offset, wanted) = range(at: position, count: count) else { return nil }
    access.data.addLocalBytes(wanted)
    return try body(descriptors[index], offset, wanted)
  }

  /// Closes the block files now; the accesses go to the worker in a later batch.
  public func closeWithoutWaiting() {
    guard closeDescriptors() else { return }
    guard let table, table.folders.noteRead(info.blockIDs) else { return }
    // A batch is due: sent (with the local-read metric) by one task per table at a time, never
    // on the caller's way; best effort, so nothing awaits or cancels it (a worker that does not
    // answer costs this report, and the connection's own failure handling ends it).
    let access = access
    Task {
      await table.reportTouches()
      table.folders.endClaim()
      await access.reportLocalBytes()
    }
  }

  public func close() async {
    closeWithoutWaiting()
    await access.reportLocalBytes()
  }

  @discardableResult
  private func closeDescriptors() -> Bool {
    guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return false }
    for fd in descriptors { Glibc.close(fd) }
    return true
  }

  /// The block, offset in it and length of `count` bytes at `position`, clipped at the end of
  /// the file; nil when empty or crossing a block end.
  private func range(at position: Int64, count: Int) -> (Int, Int64, Int)? {
    guard position >= 0, position < info.length, count > 0, info.blockSizeBytes > 0 else { return nil }
    let index = Int(position / info.blockSizeBytes)
    let offset = position - Int64(index) * info.blockSizeBytes
    let blockLength = min(info.blockSizeBytes, info.length - Int64(index) * info.blockSizeBytes)
    let wanted = Int(min(Int64(count), info.length - position))
    guard index < descriptors.count, offset + Int64(wanted) <= blockLength else { return nil }
    return (index, offset, wanted)
  }

  private func pread(_ start: Int64, maxLength: Int) throws -> ByteBuffer {
    guard !closed.load(ordering: .acquiring) else { throw GooseFSError(.failedPrecondition, "Read of closed stream \(info.path)") }
    guard start >= 0 else { throw GooseFSError(.invalidArgument, "Negative read position \(start)") }
    let end = min(info.length, start + Int64(max(0, maxLength)))
    guard start < end else { return ByteBuffer() }
    var buffer = ByteBufferAllocator().buffer(capacity: Int(end - start))
    var cursor = start
    while cursor < end {
      let index = Int(cursor / info.blockSizeBytes)
      let blockStart = Int64(index) * info.blockSizeBytes
      let piece = Int(min(end, blockStart + info.blockSizeBytes) - cursor)
      _ = try LocalBlockReader.readFully(
        descriptors[index], count: piece, at: cursor - blockStart, into: &buffer, blockID: info.blockIDs[index])
      cursor += Int64(piece)
    }
    access.data.addLocalBytes(buffer.readableBytes)
    return buffer
  }
}
