import GooseFSCore
import GooseFSRPC
import NIOCore

/// WRITE_BLOCK: a client stores one block here (MUST_CACHE, ASYNC_THROUGH). DATA frames follow
/// the request, then END; the block is committed to the master before the ACK.
struct WriteBlockRequest {
  let context: WorkerContext
  let connection: BlockServerConnection
  let frame: BlockFrame

  func serve() async throws {
    let request = try frame.message(as: Goosefs_Block_WriteBlockRequest.self)
    let blockID = frame.header.blockID
    let writer: BlockWriter
    do {
      writer = try await context.store.createBlock(
        blockID, tierAlias: request.tierAlias.isEmpty ? nil : request.tierAlias,
        expectedLength: request.expectedLength >= 0 ? request.expectedLength : nil, persisted: request.persisted)
    } catch {
      throw RequestAbandoned(cause: RPCErrorMapping.goosefsError(from: error))
    }
    var received: Int64 = 0
    do {
      while true {
        guard let next = try await connection.nextFrame() else {
          throw GooseFSError(.unavailable, "The client closed the connection while writing block \(blockID).")
        }
        switch next.op {
        case .data:
          guard next.header.offset == received else {
            throw GooseFSError.blockProtocol("DATA for block \(blockID) at \(next.header.offset), expected \(received)")
          }
          try await writer.write(next.payload)
          received += Int64(next.payload.readableBytes)
        case .end:
          guard next.header.length == received else {
            throw GooseFSError.blockProtocol("END of block \(blockID) says \(next.header.length) bytes, received \(received)")
          }
          let block = try await writer.commit()
          context.metrics.wroteToCache(Int(received))
          await context.commit(block)
          try await connection.sendAck(payload: nil)
          return
        default:
          throw GooseFSError.blockProtocol("unexpected \(next.op) while writing block \(blockID)")
        }
      }
    } catch {
      await writer.abort()
      throw RequestAbandoned(cause: RPCErrorMapping.goosefsError(from: error))
    }
  }
}
