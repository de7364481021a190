import GooseFSCore
import NIOCore

/// Bytes → `BlockFrame`s. Each header is validated before anything is allocated for its payload,
/// so a hostile or confused peer costs at most one 8 MiB frame; a violation throws a
/// `GooseFSError.blockProtocol` error and ByteToMessageHandler stops decoding (the pipeline's
/// error handling then closes the connection).
public struct BlockFrameDecoder: ByteToMessageDecoder {
  public typealias InboundOut = BlockFrame

  /// The header of a frame whose payload hasn't fully arrived; its bytes are already consumed.
  private var pendingHeader: BlockFrameHeader?

  public init() {}

  public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    let header: BlockFrameHeader
    if let pendingHeader {
      header = pendingHeader
    } else if let parsed = try BlockFrameHeader.read(from: &buffer) {
      header = parsed
    } else {
      return .needMoreData
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

  public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
    -> DecodingState
  {
    while try decode(context: context, buffer: &buffer) == .continue {}
    if seenEOF && (pendingHeader != nil || buffer.readableBytes > 0) {
      let what = pendingHeader.map { "a \($0.op) frame's payload" } ?? "a frame header"
      throw GooseFSError.blockProtocol("connection closed in the middle of \(what)")
    }
    return .needMoreData
  }
}
