import GooseFSCore
import GooseFSRPC
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// Reads one block from some position to its end, in pieces of at most `maxLength` bytes.
protocol BlockReader: AnyObject {
  /// The worker serving the bytes (excluded from the next attempt when it fails).
  var workerID: Int64 { get }
  /// The next bytes, or nil at the end of the block.
  func next(maxLength: Int) async throws -> ByteBuffer?
  /// Gives the connection back (after a clean end) or closes it.
  func close() async
}

/// A block streamed by a worker over the block protocol (from its cache, or from the under store
/// on a miss). The worker sends ahead as far as the connection's buffers allow: that is the
/// sequential read-ahead.
final class RemoteBlockReader: BlockReader {
  let workerID: Int64
  private let connection: BlockDataConnection
  private let stream: BlockReadStream
  private let pool: BlockConnectionPool
  private var pending: ByteBuffer?

  init(workerID: Int64, connection: BlockDataConnection, stream: BlockReadStream, pool: BlockConnectionPool) {
    self.workerID = workerID
    self.connection = connection
    self.stream = stream
    self.pool = pool
  }

  func next(maxLength: Int) async throws -> ByteBuffer? {
    if pending == nil || pending!.readableBytes == 0 {
      pending = try await stream.nextChunk()
    }
    guard var chunk = pending, chunk.readableBytes > 0 else { return nil }
    let piece = chunk.readSlice(length: min(maxLength, chunk.readableBytes))!
    pending = chunk
    // Every requested byte is here: take the worker's END now (it follows the last DATA in the
    // same write), so the connection goes back to the pool as a clean exchange and `close`
    // needs no CANCEL round trip. A small file's reader usually stops at exactly this point.
    // A failure here concerns only the end of the exchange, not these bytes (more DATA would be a
    // protocol violation): `close` then cancels or drops the connection.
    if chunk.readableBytes == 0, stream.bytesReceived == stream.requestedLength, !stream.isFinished {
      _ = try? await stream.nextChunk()
    }
    return piece
  }

  func close() async {
    if !stream.isFinished { await stream.cancel() }
    pool.checkin(connection)
  }
}

/// Short-circuit: the block file of a worker on this host, read directly under the client's
/// lease on it (`LocalLeaseTable`; the worker keeps the block while the lease is held).
final class LocalBlockReader: BlockReader {
  let workerID: Int64
  let lease: LocalBlockLease
  private let table: LocalLeaseTable
  private var position: Int64
  private let onBytes: @Sendable (Int) -> Void
  private var recycled: ByteBuffer?
  private var released = false

  /// Leases the block (no exchange with the worker when this client holds it already), or
  /// throws when the worker does not hold the block or the file cannot be opened from here
  /// (then the caller reads over the network instead).
  static func open(
    table: LocalLeaseTable, blockID: Int64, at position: Int64, pool: BlockConnectionPool,
    onBytes: @escaping @Sendable (Int) -> Void
  ) async throws -> LocalBlockReader {
    let lease = try await table.acquire(blockID, pool: pool)
    return LocalBlockReader(table: table, lease: lease, position: position, onBytes: onBytes)
  }

  private init(table: LocalLeaseTable, lease: LocalBlockLease, position: Int64, onBytes: @escaping @Sendable (Int) -> Void) {
    self.workerID = table.workerID
    self.table = table
    self.lease = lease
    self.position = position
    self.onBytes = onBytes
  }

  private var length: Int64 { lease.length }
  private var blockID: Int64 { lease.blockID }

  func next(maxLength: Int) async throws -> ByteBuffer? {
    guard position < length else { return nil }
    let count = Int(min(Int64(maxLength), length - position))
    // Reuse the previous buffer's memory when the caller is done with it (it then has one owner
    // again): a fresh buffer per read costs page faults that dominate reads from tmpfs.
    var buffer = recycled ?? ByteBufferAllocator().buffer(capacity: count)
    recycled = nil
    buffer.clear(minimumCapacity: count)
    let read = try Self.readFully(lease.fd, count: count, at: position, into: &buffer, blockID: blockID)
    position += Int64(read)
    onBytes(read)
    recycled = buffer
    return buffer
  }

  /// Appends exactly `count` bytes of block file `fd` at `offset` to `buffer` (a block file is
  /// never shorter than its block: a short read is an error naming the block).
  static func readFully(_ fd: Int32, count: Int, at offset: Int64, into buffer: inout ByteBuffer, blockID: Int64) throws -> Int {
    try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer -> Int in
      var done = 0
      while done < count {
        let n = pread(fd, pointer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
        if n < 0, errno == EINTR { continue }
        guard n > 0 else {
          throw GooseFSError(
            .ioError,
            "Short-circuit read of block \(blockID) failed at \(offset + Int64(done)): \(n < 0 ? String(cString: strerror(errno)) : "end of file")")
        }
        done += n
      }
      return done
    }
  }

  /// The whole block file mapped read-only (see `LocalBlockLease.mapped`); valid until `close`.
  func mapped() throws -> UnsafeRawBufferPointer { try lease.mapped() }

  /// Counts bytes read through the mapping as local reads.
  func countMapped(_ bytes: Int) { onBytes(bytes) }

  /// Lets go of the lease (kept idle by the table for the next open of the block).
  func close() async {
    guard !released else { return }
    released = true
    await table.release(lease)
  }
}
