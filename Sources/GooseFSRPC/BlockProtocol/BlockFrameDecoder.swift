import GooseFSCore
import NIOCore

/// Bytes → `BlockFrame`s. Each header is validated before anything is allocated for its payload,
/// so a hostile or confused peer costs at most one 8 MiB frame; a violation throws a
/// `GooseFSError.blockProtocol` error and ByteToMessageHandler stops decoding (the pipeline's
/// error handling then closes the connection). A stream that ends inside a frame is `.unavailable`.
///
/// With `splitsDataPayloads`, a DATA frame is delivered in pieces as its bytes arrive: each piece
/// is a BlockFrame whose header has the piece's own offset and length and whose payload is a
/// slice of a socket read. Reassembling a 1 MiB payload would copy every byte once more in user
/// space (the cumulation buffer), which on loopback costs a large share of the throughput; the
/// client's read stream only needs the bytes in order, so it takes them as they come. Other ops
/// are always delivered whole.
public struct BlockFrameDecoder: ByteToMessageDecoder {
  public typealias InboundOut = BlockFrame

  public let splitsDataPayloads: Bool
  /// The header of a frame whose payload hasn't fully arrived; its bytes are already consumed.
  private var pendingHeader: BlockFrameHeader?
  /// Split mode: payload bytes of `pendingHeader` already delivered.
  private var deliveredPayload = 0

  public init(splitsDataPayloads: Bool = false) {
    self.splitsDataPayloads = splitsDataPayloads
  }

  public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    let header: BlockFrameHeader
    if let pendingHeader {
      header = pendingHeader
    } else if let parsed = try BlockFrameHeader.read(from: &buffer) {
      header = parsed
      deliveredPayload = 0
    } else {
      return .needMoreData
    }
    if splitsDataPayloads && header.op == .data && header.payloadLength > 0 {
      return decodePiece(of: header, context: context, buffer: &buffer)
    }
    guard let payload = buffer.readSlice(length: header.payloadLength) else {
      pendingHeader = header
      // Make room for the whole payload once, so the socket reads that follow are appended to
      // this buffer without it being reallocated (and copied) as it grows.
      buffer.reserveCapacity(minimumWritableBytes: header.payloadLength - buffer.readableBytes)
      return .needMoreData
    }
    pendingHeader = nil
    context.fireChannelRead(wrapInboundOut(BlockFrame(header: header, payload: payload)))
    return .continue
  }

  private mutating func decodePiece(of header: BlockFrameHeader, context: ChannelHandlerContext, buffer: inout ByteBuffer)
    -> DecodingState
  {
    let size = min(header.payloadLength - deliveredPayload, buffer.readableBytes)
    guard size > 0 else {
      pendingHeader = header
      return .needMoreData
    }
    var pieceHeader = header
    pieceHeader.offset = header.offset + Int64(deliveredPayload)
    pieceHeader.payloadLength = size
    let piece = buffer.readSlice(length: size)!
    deliveredPayload += size
    pendingHeader = deliveredPayload < header.payloadLength ? header : nil
    context.fireChannelRead(wrapInboundOut(BlockFrame(header: pieceHeader, payload: piece)))
    return .continue
  }

  /// Moving the unread bytes to the front of the buffer is worth it only for a partial header;
  /// a partial payload is better left where it is (its buffer was sized for it, or in split mode
  /// there is none).
  public func shouldReclaimBytes(buffer: ByteBuffer) -> Bool {
    pendingHeader == nil && buffer.readerIndex >= 2048
  }

  public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
    -> DecodingState
  {
    while try decode(context: context, buffer: &buffer) == .continue {}
    if seenEOF && (pendingHeader != nil || buffer.readableBytes > 0) {
      // A frame cut short by the end of the stream is what a peer that died (kill -9, reset,
      // lost host) leaves behind, not a breach of the protocol by a live peer: it is reported as
      // `.unavailable`, so a reader fails over to another copy instead of giving up.
      let what = pendingHeader.map { "a \($0.op) frame's payload" } ?? "a frame header"
      throw GooseFSError(.unavailable, "The peer closed the connection in the middle of \(what)")
    }
    return .needMoreData
  }
}
