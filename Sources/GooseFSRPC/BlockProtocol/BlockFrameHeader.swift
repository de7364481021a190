import GooseFSCore
import NIOCore

/// The fixed 48-byte, big-endian header that starts every frame (docs/block-protocol.md, "Frames").
public struct BlockFrameHeader: Sendable, Hashable {
  /// "GFSB".
  public static let magic: UInt32 = 0x4746_5342
  public static let version: UInt8 = 1
  public static let size = 48
  /// Largest payload a peer may announce; a bigger one is a protocol error, never an allocation.
  public static let maxPayloadLength = 8 << 20

  public var op: BlockOp
  /// Reserved; sent as 0 and ignored on receipt so a later version can use it.
  public var flags: UInt16
  /// 0, or the `BlockErrorStatus` of an ERROR frame.
  public var status: UInt32
  /// Bytes after the header, 0...maxPayloadLength.
  public var payloadLength: Int
  public var blockID: Int64
  /// READ: first byte wanted; DATA: position of the payload in the block.
  public var offset: Int64
  /// READ: bytes wanted; END: bytes sent in total.
  public var length: Int64

  public init(
    op: BlockOp, blockID: Int64 = 0, offset: Int64 = 0, length: Int64 = 0, payloadLength: Int = 0,
    status: UInt32 = BlockErrorStatus.ok, flags: UInt16 = 0
  ) {
    precondition((0...Self.maxPayloadLength).contains(payloadLength), "payload of \(payloadLength) bytes is over the frame limit")
    self.op = op
    self.flags = flags
    self.status = status
    self.payloadLength = payloadLength
    self.blockID = blockID
    self.offset = offset
    self.length = length
  }

  public func write(to buffer: inout ByteBuffer) {
    buffer.writeMultipleIntegers(
      Self.magic, Self.version, op.rawValue, flags, status, UInt32(payloadLength), blockID, offset, length,
      UInt64(0)  // reserved
    )
  }

  /// Reads one header from the front of `buffer`. Returns nil, consuming nothing, while fewer than
  /// 48 bytes are there; throws a protocol violation for a header no peer of ours would send.
  public static func read(from buffer: inout ByteBuffer) throws -> BlockFrameHeader? {
    guard
      let (magic, version, rawOp, flags, status, payloadLength, blockID, offset, length, _) = buffer.getMultipleIntegers(
        at: buffer.readerIndex,
        as: (UInt32, UInt8, UInt8, UInt16, UInt32, UInt32, Int64, Int64, Int64, UInt64).self
      )
    else { return nil }
    guard magic == Self.magic else {
      throw GooseFSError.blockProtocol("bad magic 0x\(String(magic, radix: 16)) (expected 0x\(String(Self.magic, radix: 16)))")
    }
    guard version == Self.version else {
      throw GooseFSError.blockProtocol("unsupported version \(version) (this peer speaks \(Self.version))")
    }
    guard let op = BlockOp(rawValue: rawOp) else {
      throw GooseFSError.blockProtocol("unknown op \(rawOp)")
    }
    guard payloadLength <= Self.maxPayloadLength else {
      throw GooseFSError.blockProtocol("\(op) payload of \(payloadLength) bytes exceeds the \(Self.maxPayloadLength)-byte limit")
    }
    buffer.moveReaderIndex(forwardBy: Self.size)
    return BlockFrameHeader(
      op: op, blockID: blockID, offset: offset, length: length, payloadLength: Int(payloadLength), status: status,
      flags: flags
    )
  }
}
