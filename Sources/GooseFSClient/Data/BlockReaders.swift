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
    return piece
  }

  func close() async {
    if !stream.isFinished { await stream.cancel() }
    pool.checkin(connection)
  }
}

/// Short-circuit: the block file of a worker on this host, read directly. The worker keeps the
/// block from eviction until CLOSE_LOCAL (or until this connection ends).
final class LocalBlockReader: BlockReader {
  let workerID: Int64
  private let connection: BlockDataConnection
  private let pool: BlockConnectionPool
  private let blockID: Int64
  private let fd: Int32
  private let length: Int64
  private var position: Int64
  private let onBytes: @Sendable (Int) -> Void
  private var recycled: ByteBuffer?
  private var mapping: UnsafeRawBufferPointer?

  /// Opens the block file, or throws when the worker does not hold the block or the file cannot
  /// be opened from here (then the caller reads over the network instead).
  static func open(
    workerID: Int64, blockID: Int64, at position: Int64, socketPath: String, connection: BlockDataConnection,
    pool: BlockConnectionPool, onBytes: @escaping @Sendable (Int) -> Void
  ) async throws -> LocalBlockReader {
    // OPEN_LOCAL holds the block against eviction for as long as this connection keeps it.
    let response = try await connection.call(
      op: .openLocal, blockID: blockID, request: Goosefs_Block_OpenLocalBlockRequest(),
      as: Goosefs_Block_OpenLocalBlockResponse.self)
    var fd = Glibc.open(response.path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      // The tier folder is not visible from here (another container): the worker passes the
      // open file over its Unix socket instead.
      let reason = String(cString: strerror(errno))
      do {
        guard !socketPath.isEmpty else {
          throw GooseFSError(.permissionDenied, "Cannot open block file \(response.path): \(reason)")
        }
        fd = try DescriptorPassingClient.open(socketPath: socketPath, blockID: blockID).fd
      } catch {
        do {
          _ = try await connection.call(op: .closeLocal, blockID: blockID)
        } catch {
          // The failed call closed the connection, which ends the lease on the worker's side too.
        }
        throw error
      }
    }
    return LocalBlockReader(
      workerID: workerID, connection: connection, pool: pool, blockID: blockID, fd: fd, length: response.length,
      position: position, onBytes: onBytes)
  }

  private init(
    workerID: Int64, connection: BlockDataConnection, pool: BlockConnectionPool, blockID: Int64, fd: Int32,
    length: Int64, position: Int64, onBytes: @escaping @Sendable (Int) -> Void
  ) {
    self.workerID = workerID
    self.connection = connection
    self.pool = pool
    self.blockID = blockID
    self.fd = fd
    self.length = length
    self.position = position
    self.onBytes = onBytes
  }

  func next(maxLength: Int) async throws -> ByteBuffer? {
    guard position < length else { return nil }
    let count = Int(min(Int64(maxLength), length - position))
    // Reuse the previous buffer's memory when the caller is done with it (it then has one owner
    // again): a fresh buffer per read costs page faults that dominate reads from tmpfs.
    var buffer = recycled ?? ByteBufferAllocator().buffer(capacity: count)
    recycled = nil
    buffer.clear(minimumCapacity: count)
    let fd = fd
    let offset = position
    let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer -> Int in
      var done = 0
      while done < count {
        let n = pread(fd, pointer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
        if n < 0, errno == EINTR { continue }
        guard n > 0 else {
          throw GooseFSError(.ioError, "Short-circuit read of block \(blockID) failed at \(offset + Int64(done)): \(n < 0 ? String(cString: strerror(errno)) : "end of file")")
        }
        done += n
      }
      return done
    }
    position += Int64(read)
    onBytes(read)
    recycled = buffer
    return buffer
  }

  /// The whole block file mapped read-only: replies can be copied straight from the page cache
  /// (one copy instead of pread's two). Valid until `close`; the worker keeps the block (and its
  /// file) while we hold it, and block files never change after commit.
  func mapped() throws -> UnsafeRawBufferPointer {
    if let mapping { return mapping }
    guard length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    let address = mmap(nil, Int(length), PROT_READ, MAP_SHARED, fd, 0)
    guard let address, address != MAP_FAILED else {
      throw GooseFSError(.ioError, "Cannot map block \(blockID): \(String(cString: strerror(errno)))")
    }
    let bytes = UnsafeRawBufferPointer(start: address, count: Int(length))
    mapping = bytes
    return bytes
  }

  /// Counts bytes read through the mapping as local reads.
  func countMapped(_ bytes: Int) { onBytes(bytes) }

  func close() async {
    if let mapping, let base = mapping.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), mapping.count) }
    mapping = nil
    Glibc.close(fd)
    do {
      _ = try await connection.call(op: .closeLocal, blockID: blockID)
      pool.checkin(connection)
    } catch {
      // A worker that died or broke the exchange: closing the connection ends the lease there
      // (the worker releases a connection's leases when it ends), and the pool never sees it again.
      await connection.close()
    }
  }
}
