import GooseFSCore
import GooseFSRPC
import GooseFSUFS
import NIOCore

/// Writes a file to the under store from its cached blocks (ASYNC_THROUGH, `fs persist`): blocks
/// held here are read from the tier files, the others from the workers holding them. The master
/// hears the outcome either way; on success the blocks here become evictable.
///
/// A worker that fails while it streams a block (killed, reset, stalled, I/O error) is left and
/// the copy goes on at the same byte from the block's next holder, so the under store receives
/// every byte exactly once.
struct PersistExecutor: Sendable {
  let context: WorkerContext

  static let readSize = 4 << 20

  func persist(_ job: Goosefs_Grpc_PersistCommand) async {
    do {
      let fingerprint: String
      if let done = try await writeInOneJob(job) {
        fingerprint = done
      } else {
        fingerprint = try await write(job)
        try await context.store.markPersisted(job.blocks.map(\.blockInfo.blockID))
      }
      try await context.master.commitPersist(fileID: job.fileID, fingerprint: fingerprint, failure: nil)
      // Debug: a mount writing small files persists thousands a second.
      context.logger.debug("Persisted \(job.path) (\(job.length) bytes) to the under store.")
    } catch {
      context.logger.warning("Persisting \(job.path) failed: \(error)")
      do {
        try await context.master.commitPersist(fileID: job.fileID, fingerprint: "", failure: "\(error)")
      } catch {
        // The master keeps the job assigned here until it hears back; it learns of the failure
        // when it declares this worker lost or the file is persisted again.
        context.logger.warning("Could not report the failed persist of \(job.path) to the master: \(error)")
      }
    }
  }

  /// A file whose blocks are all here, for an under store that copies from descriptors (the
  /// local folder): lease, copy, mark persisted, in one job on the store's I/O threads instead of
  /// a hop per step. Nil when that does not apply (the streamed path then does the work).
  private func writeInOneJob(_ job: Goosefs_Grpc_PersistCommand) async throws -> String? {
    let ufs = try await context.mounts.store(forMount: job.mountID)
    guard let copier = ufs as? any UFSBlockingFileCopy else { return nil }
    let store = context.store
    let blocks = job.blocks.sorted(by: { $0.offset < $1.offset }).map(\.blockInfo)
    let fingerprint = try await store.executor.run { () throws -> String? in
      var leases: [BlockReadLease] = []
      defer { for lease in leases { lease.release() } }
      for block in blocks {
        // Not here, unreadable (openForRead logs and drops it) or out of descriptors: nothing is
        // lost by falling back, since the streamed path opens the lease again, reports those
        // errors and reads the block from its other holders.
        guard let lease = try? store.openForRead(block.blockID), lease.length == block.length else { return nil }
        leases.append(lease)
      }
      let status = try copier.createFile(
        job.ufsPath, mode: 0o644, createParents: true,
        copying: leases.map { UFSCopySource(fd: $0.fd, length: $0.length) })
      store.markPersisted(blocks.map(\.blockID))
      return status.fingerprint
    }
    if fingerprint != nil { context.metrics.wroteToUFS(Int(job.length)) }
    return fingerprint
  }

  private func write(_ job: Goosefs_Grpc_PersistCommand) async throws -> String {
    let ufs = try await context.mounts.store(forMount: job.mountID)
    let output = try await ufs.create(job.ufsPath, mode: 0o644, createParents: true)
    do {
      for block in job.blocks.sorted(by: { $0.offset < $1.offset }) {
        try await copy(block, of: job.path, to: output)
      }
      try await output.close()
    } catch {
      await output.abort()
      throw error
    }
    context.metrics.wroteToUFS(Int(job.length))
    return try await ufs.status(job.ufsPath)?.fingerprint ?? ""
  }

  private func copy(_ block: Goosefs_Grpc_FileBlockInfo, of path: String, to output: any UFSOutputStream) async throws {
    let blockID = block.blockInfo.blockID
    let length = block.blockInfo.length
    var position: Int64 = 0
    var lastError: GooseFSError?
    if let lease = try await localLease(blockID) {
      do {
        try await copyLocal(lease, length: length, from: &position, to: output)
      } catch let error as GooseFSError where error.code == .ioError || error.code == .corrupted {
        // An unreadable tier file: the other holders may still have good copies.
        lastError = error
      } catch {
        await lease.release()
        throw error
      }
      await lease.release()
      if position == length { return }
    }
    for location in block.blockInfo.locations where location.workerID != context.master.workerID {
      do {
        try await copyRemote(
          blockID, length: length, host: location.address.host, port: Int(location.address.rpcPort), from: &position,
          to: output)
        return
      } catch {
        let failure = RPCErrorMapping.goosefsError(from: error)
        // Only a failure of that worker (or its connection) sends us to the next holder; the
        // under store refusing the bytes ends the job.
        guard BlockFailover.isWorkerFailure(failure) else { throw failure }
        context.logger.info("Persisting \(path): worker \(location.address.host) failed at byte \(position) of block \(blockID) (\(failure.message)); trying the next copy")
        lastError = failure
      }
    }
    throw GooseFSError(
      .unavailable,
      "Cannot persist \(path): block \(blockID) is not readable from any live worker holding it"
        + (lastError.map { " (last error: \($0.message))" } ?? "") + ".")
  }

  /// The block here, or nil when this worker does not hold it (or dropped it as unreadable).
  private func localLease(_ blockID: Int64) async throws -> BlockReadLease? {
    do {
      return try await context.store.openForRead(blockID)
    } catch let error as GooseFSError where error.code == .notFound || error.code == .ioError {
      return nil
    }
  }

  private func copyLocal(_ lease: BlockReadLease, length: Int64, from position: inout Int64, to output: any UFSOutputStream)
    async throws
  {
    let io = context.io
    while position < length {
      let count = Int(min(Int64(Self.readSize), length - position))
      let offset = position
      let buffer = try await context.store.executor.run { () throws -> ByteBuffer in
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
          try io.readFully(fd: lease.fd, into: UnsafeMutableRawBufferPointer(rebasing: pointer[0..<count]), at: offset)
        }
        guard read == count else {
          throw GooseFSError(
            .corrupted, "Block \(lease.blockID) is shorter on disk than recorded (\(offset + Int64(read)) of \(length) bytes).")
        }
        return buffer
      }
      try await output.write(buffer)
      position += Int64(count)
    }
  }

  private func copyRemote(
    _ blockID: Int64, length: Int64, host: String, port: Int, from position: inout Int64, to output: any UFSOutputStream
  ) async throws {
    let connection = try await context.pool.checkout(host: host, port: port)
    do {
      let stream = try await connection.read(blockID: blockID, offset: position, length: length - position)
      while let chunk = try await stream.nextChunk() {
        try await output.write(chunk)
        position += Int64(chunk.readableBytes)
      }
    } catch {
      await connection.close()
      throw error
    }
    context.pool.checkin(connection)
    guard position == length else {
      throw GooseFSError(.corrupted, "Worker \(host):\(port) ended block \(blockID) at byte \(position) of \(length).")
    }
  }
}
