import NIOCore

/// `BlockFrameOut` → bytes on the socket. The 48-byte header goes in its own small buffer and the
/// payload (a ByteBuffer or a FileRegion) is written as it is, so payloads are never copied; the
/// writer above decides when to flush (NIOAsyncChannel flushes once per batch of frames).
public final class BlockFrameEncoder: ChannelOutboundHandler, RemovableChannelHandler {
  public typealias OutboundIn = BlockFrameOut
  public typealias OutboundOut = IOData

  public init() {}

  public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let frame = unwrapOutboundIn(data)
    var header = context.channel.allocator.buffer(capacity: BlockFrameHeader.size)
    frame.header.write(to: &header)
    switch frame.payload {
    case .none:
      context.write(wrapOutboundOut(.byteBuffer(header)), promise: promise)
    case .buffer(let payload):
      context.write(wrapOutboundOut(.byteBuffer(header)), promise: nil)
      context.write(wrapOutboundOut(.byteBuffer(payload)), promise: promise)
    case .fileRegion(let region, let file):
      context.write(wrapOutboundOut(.byteBuffer(header)), promise: nil)
      let written = promise ?? context.eventLoop.makePromise()
      // Holding `file` until the write completes or fails keeps its descriptor open for sendfile.
      written.futureResult.whenComplete { _ in withExtendedLifetime(file) {} }
      context.write(wrapOutboundOut(.fileRegion(region)), promise: written)
    }
  }
}
