import GooseFSCore
import NIOCore
import SwiftProtobuf

/// A frame to send. Its payload is either bytes or a region of a file (sent with sendfile, never
/// read into memory); the encoder writes the header and the payload as separate writes so that
/// payloads are never copied.
public struct BlockFrameOut: Sendable {
  public enum Payload: Sendable {
    case none
    case buffer(ByteBuffer)
    /// The file is kept open until NIO is done with the region (see `BlockSendFile`).
    case fileRegion(FileRegion, BlockSendFile)

    public var length: Int {
      switch self {
      case .none: 0
      case .buffer(let buffer): buffer.readableBytes
      case .fileRegion(let region, _): region.readableBytes
      }
    }
  }

  public private(set) var header: BlockFrameHeader
  public let payload: Payload

  /// `header.payloadLength` is set from the payload.
  public init(header: BlockFrameHeader, payload: Payload = .none) {
    precondition(
      payload.length <= BlockFrameHeader.maxPayloadLength,
      "a \(header.op) payload of \(payload.length) bytes exceeds the frame limit; split it")
    var header = header
    header.payloadLength = payload.length
    self.header = header
    self.payload = payload
  }

  /// A request frame (READ, WRITE_BLOCK, ...) carrying its message.
  public static func request(
    _ op: BlockOp, blockID: Int64, offset: Int64 = 0, length: Int64 = 0, message: (any SwiftProtobuf.Message)?,
    allocator: ByteBufferAllocator
  ) throws -> BlockFrameOut {
    precondition(op.isRequest, "\(op) is not a request op")
    let payload: Payload = try message.map { .buffer(try BlockMessageCoding.encode($0, allocator: allocator)) } ?? .none
    return BlockFrameOut(header: BlockFrameHeader(op: op, blockID: blockID, offset: offset, length: length), payload: payload)
  }

  public static func data(blockID: Int64, offset: Int64, buffer: ByteBuffer) -> BlockFrameOut {
    BlockFrameOut(header: BlockFrameHeader(op: .data, blockID: blockID, offset: offset), payload: .buffer(buffer))
  }

  public static func data(blockID: Int64, offset: Int64, file: BlockSendFile, fileOffset: Int, length: Int) -> BlockFrameOut {
    BlockFrameOut(
      header: BlockFrameHeader(op: .data, blockID: blockID, offset: offset),
      payload: .fileRegion(file.region(fileOffset: fileOffset, length: length), file)
    )
  }

  public static func end(blockID: Int64, total: Int64) -> BlockFrameOut {
    BlockFrameOut(header: BlockFrameHeader(op: .end, blockID: blockID, length: total))
  }

  public static func cancel(blockID: Int64) -> BlockFrameOut {
    BlockFrameOut(header: BlockFrameHeader(op: .cancel, blockID: blockID))
  }

  public static func ack(blockID: Int64, payload: ByteBuffer?) -> BlockFrameOut {
    BlockFrameOut(header: BlockFrameHeader(op: .ack, blockID: blockID), payload: payload.map { .buffer($0) } ?? .none)
  }

  public static func ack(blockID: Int64, message: (any SwiftProtobuf.Message)?, allocator: ByteBufferAllocator) throws
    -> BlockFrameOut
  {
    try .ack(blockID: blockID, payload: message.map { try BlockMessageCoding.encode($0, allocator: allocator) })
  }

  public static func error(blockID: Int64, _ error: GooseFSError, allocator: ByteBufferAllocator) -> BlockFrameOut {
    var payload = Goosefs_Block_ErrorPayload()
    payload.message = error.message
    // Serializing a message holding one string cannot fail; a failure would be a SwiftProtobuf bug.
    let bytes = try! BlockMessageCoding.encode(payload, allocator: allocator)
    return BlockFrameOut(
      header: BlockFrameHeader(op: .error, blockID: blockID, status: BlockErrorStatus.status(for: error.code)),
      payload: .buffer(bytes)
    )
  }
}
