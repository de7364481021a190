import GooseFSCore
import NIOCore
import SwiftProtobuf

extension BlockDataConnection {
  /// Starts a READ of `length` bytes of `blockID` from `offset`; iterate the returned stream for
  /// the bytes.
  public func read(
    blockID: Int64, offset: Int64, length: Int64,
    request: Goosefs_Block_ReadBlockRequest = Goosefs_Block_ReadBlockRequest()
  ) async throws -> BlockReadStream {
    guard offset >= 0, length >= 0 else {
      throw GooseFSError(.invalidArgument, "Cannot read \(length) bytes at offset \(offset) of block \(blockID)")
    }
    try await start(.read, blockID: blockID, offset: offset, length: length, request: request)
    return BlockReadStream(connection: self, blockID: blockID, offset: offset, length: length)
  }

  /// Starts writing a block to the worker's tier store.
  public func writeBlock(blockID: Int64, request: Goosefs_Block_WriteBlockRequest) async throws -> BlockWriteSession {
    try await openWrite(.writeBlock, blockID: blockID, request: request)
  }

  /// Starts writing a whole file to the under store through the worker; `finish(as:
  /// Goosefs_Block_WriteUfsFileResponse.self)` returns what the worker wrote.
  public func writeUfsFile(request: Goosefs_Block_WriteUfsFileRequest) async throws -> BlockWriteSession {
    try await openWrite(.writeUfsFile, blockID: request.firstBlockID, request: request)
  }

  /// Starts a DATA…END exchange (`op` is WRITE_BLOCK or WRITE_UFS_FILE) with `request` as the
  /// request frame's payload.
  public func openWrite<Request: SwiftProtobuf.Message>(_ op: BlockOp, blockID: Int64, request: Request) async throws
    -> BlockWriteSession
  {
    guard op == .writeBlock || op == .writeUfsFile else {
      throw GooseFSError(.invalidArgument, "\(op) is not a write operation")
    }
    try await start(op, blockID: blockID, request: request)
    return BlockWriteSession(connection: self, op: op, blockID: blockID)
  }

  /// A request answered by one ACK (CACHE_BLOCK, OPEN_LOCAL, CLOSE_LOCAL); returns the ACK's
  /// payload and throws the worker's ERROR. `timeout` bounds the wait for the answer (default:
  /// the idle timeout); CACHE_BLOCK may need longer, since the worker answers once the block is
  /// fetched from the under store.
  public func call(
    op: BlockOp, blockID: Int64, request: (any SwiftProtobuf.Message)? = nil, timeout: TimeAmount? = nil
  ) async throws -> ByteBuffer {
    guard op == .cacheBlock || op == .openLocal || op == .closeLocal || op == .touchLocal else {
      throw GooseFSError(.invalidArgument, "\(op) is not a request answered by ACK")
    }
    try await start(op, blockID: blockID, request: request)
    let answer = try await nextFrame(timeout: timeout)
    switch answer.op {
    case .ack:
      endExchange()
      return answer.payload
    case .error:
      endExchange()
      throw answer.reportedError()
    default:
      throw fail(GooseFSError.blockProtocol("worker \(worker) answered \(op) with \(answer.op)"))
    }
  }

  /// `call`, with the ACK's payload decoded as `Response` (OPEN_LOCAL's `OpenLocalBlockResponse`).
  public func call<Response: SwiftProtobuf.Message>(
    op: BlockOp, blockID: Int64, request: (any SwiftProtobuf.Message)? = nil, timeout: TimeAmount? = nil,
    as type: Response.Type
  ) async throws -> Response {
    let payload = try await call(op: op, blockID: blockID, request: request, timeout: timeout)
    return try BlockMessageCoding.decode(type, from: payload, context: "ACK of \(op)")
  }

  private func start(
    _ op: BlockOp, blockID: Int64, offset: Int64 = 0, length: Int64 = 0, request: (any SwiftProtobuf.Message)?
  ) async throws {
    try beginExchange(op)
    do {
      let frame = try BlockFrameOut.request(
        op, blockID: blockID, offset: offset, length: length, message: request, allocator: channel.allocator)
      try await send(frame)
    } catch {
      throw fail(error)
    }
  }
}
