import GooseFSCore
import GooseFSRPC
import NIOCore

/// Serves one client connection of the block protocol (docs/block-protocol.md): one request at a
/// time, each answered completely before the next is read.
struct BlockRequestHandler: Sendable {
  let context: WorkerContext

  func serve(_ connection: BlockServerConnection) async throws {
    let leases = LocalLeases()
    do {
      try await serveRequests(connection, leases: leases)
    } catch {
      await leases.releaseAll()
      throw error
    }
    await leases.releaseAll()
  }

  private func serveRequests(_ connection: BlockServerConnection, leases: LocalLeases) async throws {
    while let frame = try await connection.nextFrame() {
      guard frame.op.isRequest else {
        // A stray DATA/END outside a write: the client and worker disagree; start afresh.
        throw GooseFSError.blockProtocol("unexpected \(frame.op) frame outside a request")
      }
      do {
        switch frame.op {
        case .read:
          try await ReadRequest(context: context, connection: connection, frame: frame).serve()
        case .writeBlock:
          try await WriteBlockRequest(context: context, connection: connection, frame: frame).serve()
        case .writeUfsFile:
          try await WriteUFSFileRequest(context: context, connection: connection, frame: frame).serve()
        case .cacheBlock:
          let request = try frame.message(as: Goosefs_Block_CacheBlockRequest.self)
          try await UFSBlockFetcher(context: context).cacheWholeBlock(frame.header.blockID, source: request.ufs)
          try await connection.sendAck(payload: nil)
        case .openLocal:
          let request = try frame.message(as: Goosefs_Block_OpenLocalBlockRequest.self)
          if request.promote { await context.promote(frame.header.blockID) }
          let lease = try await leases.open(frame.header.blockID, store: context.store)
          try await connection.sendAck(
            payload: Goosefs_Block_OpenLocalBlockResponse.with {
              $0.path = lease.path
              $0.length = lease.length
              $0.tierAlias = lease.tierAlias
            })
        case .closeLocal:
          await leases.release(frame.header.blockID)
          try await connection.sendAck(payload: nil)
        case .touchLocal:
          // The list of block ids travels in the master's GetBlockInfoRequest (one repeated field).
          let request = try frame.message(as: Goosefs_Grpc_GetBlockInfoRequest.self)
          context.store.touch(request.blockIds)
          try await connection.sendAck(payload: nil)
        default:
          throw GooseFSError.blockProtocol("\(frame.op) is not a request")
        }
      } catch let abandoned as RequestAbandoned {
        // The exchange cannot continue on this connection (e.g. a write refused mid-stream): say
        // why if the connection still carries frames, then end it.
        do {
          try await connection.sendError(abandoned.cause)
        } catch {
          context.logger.debug("Could not report \(abandoned.cause) to a client that is gone: \(error)")
        }
        return
      } catch {
        guard connection.currentRequest != nil else { throw error }
        try await connection.sendError(RPCErrorMapping.goosefsError(from: error))
      }
    }
  }
}

/// Thrown when a request failed in a way that leaves unread client frames behind: the handler
/// answers ERROR and closes the connection instead of reading on.
struct RequestAbandoned: Error {
  var cause: GooseFSError
}
