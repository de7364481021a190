import GooseFSCore
import GooseFSRPC
import GooseFSUFS
import NIOCore

/// Writes a file to the under store from its cached blocks (ASYNC_THROUGH, `fs persist`): blocks
/// held here are read from the tier files, the others from the workers holding them. The master
/// hears the outcome either way; on success the blocks here become evictable.
struct PersistExecutor: Sendable {
  let context: WorkerContext

  static let readSize = 4 << 20

  func persist(_ job: Goosefs_Grpc_PersistCommand) async {
    do {
      let fingerprint = try await write(job)
      context.store.markPersisted(job.blocks.map(\.blockInfo.blockID))
      try await context.master.commitPersist(fileID: job.fileID, fingerprint: fingerprint, failure: nil)
      context.logger.info("Persisted \(job.path) (\(job.length) bytes) to the under store.")
    } catch {
      context.logger.warning("Persisting \(job.path) failed: \(error)")
      try? await context.master.commitPersist(fileID: job.fileID, fingerprint: "", failure: "\(error)")
    }
  }

  private func write(_ job: Goosefs_Grpc_PersistCommand) async throws -> String {
    let ufs = try await context.mounts.store(forMount: job.mountID)
    let output = try await ufs.create(job.ufsPath, mode: 0o644, createParents: true)
    do {
      for block in job.blocks.sorted(by: { $0.offset < $1.offset }) {
        try await copy(block, to: output)
      }
      try await output.close()
    } catch {
      await output.abort()
      throw error
    }
    context.metrics.wroteToUFS(Int(job.length))
    return try await ufs.status(job.ufsPath)?.fingerprint ?? ""
  }

  private func copy(_ block: Goosefs_Grpc_FileBlockInfo, to output: any UFSOutputStream) async throws {
    let blockID = block.blockInfo.blockID
    let length = block.blockInfo.length
    if let lease = try? context.store.openForRead(blockID) {
      defer { lease.release() }
      var position: Int64 = 0
      while position < length {
        let count = Int(min(Int64(Self.readSize), length - position))
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
          try context.io.readFullyBlocking(
            fd: lease.fd, into: UnsafeMutableRawBufferPointer(rebasing: pointer[0..<count]), at: position)
        }
        guard read == count else {
          throw GooseFSError(.corrupted, "Block \(blockID) is shorter on disk than recorded (\(position + Int64(read)) of \(length) bytes).")
        }
        try await output.write(buffer)
        position += Int64(count)
      }
      return
    }
    var lastError = GooseFSError(.unavailable, "Block \(blockID) is not cached on any live worker.")
    for location in block.blockInfo.locations where location.workerID != context.master.workerID {
      do {
        let connection = try await context.pool.checkout(host: location.address.host, port: Int(location.address.rpcPort))
        let stream = try await connection.read(blockID: blockID, offset: 0, length: length)
        while let chunk = try await stream.nextChunk() {
          try await output.write(chunk)
        }
        context.pool.checkin(connection)
        return
      } catch {
        lastError = RPCErrorMapping.goosefsError(from: error)
      }
    }
    throw lastError
  }
}
