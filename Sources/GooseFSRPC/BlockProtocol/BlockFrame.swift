import GooseFSCore
import NIOCore
import SwiftProtobuf

/// A received frame: its header and its payload, a slice of the bytes read from the socket.
public struct BlockFrame: Sendable {
  public var header: BlockFrameHeader
  public var payload: ByteBuffer

  public init(header: BlockFrameHeader, payload: ByteBuffer) {
    self.header = header
    self.payload = payload
  }

  public var op: BlockOp { header.op }

  /// The payload as a request or response message; a payload that doesn't parse is the peer's
  /// protocol error, not ours.
  public func message<M: SwiftProtobuf.Message>(as type: M.Type = M.self) throws -> M {
    try BlockMessageCoding.decode(type, from: payload, context: "\(op) payload")
  }

  /// What an ERROR frame reports, as the error its sender threw.
  public func reportedError() -> GooseFSError {
    let text: String
    do {
      text = try message(as: Goosefs_Block_ErrorPayload.self).message
    } catch {
      text = "(unreadable error message: \(error))"
    }
    guard let code = BlockErrorStatus.code(for: header.status) else {
      return GooseFSError(.internalError, "\(text) (unknown block protocol status \(header.status))")
    }
    return GooseFSError(code, text)
  }
}

/// Protobuf payloads to and from ByteBuffers. Control payloads are a few hundred bytes at most,
/// so going through [UInt8] (the contiguous type SwiftProtobuf accepts) costs nothing measurable.
enum BlockMessageCoding {
  static func encode(_ message: any SwiftProtobuf.Message, allocator: ByteBufferAllocator) throws -> ByteBuffer {
    let bytes: [UInt8] = try message.serializedBytes()
    return allocator.buffer(bytes: bytes)
  }

  static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, from payload: ByteBuffer, context: String) throws -> M {
    do {
      return try M(serializedBytes: Array(payload.readableBytesView))
    } catch {
      throw GooseFSError.blockProtocol("\(context) is not a valid \(M.protoMessageName): \(error)")
    }
  }
}
