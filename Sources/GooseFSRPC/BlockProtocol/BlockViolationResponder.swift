import GooseFSCore
import NIOCore

/// Server side: when the decoder rejects the client's bytes, tell the client why with an ERROR
/// frame and close the connection once that frame is out (or after `linger`, for a client that
/// no longer reads). The error still travels on so the connection's handler sees it.
final class BlockViolationResponder: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = BlockFrame
  typealias InboundOut = BlockFrame
  typealias OutboundOut = BlockFrameOut

  private let linger: TimeAmount
  private var responded = false

  init(linger: TimeAmount) {
    self.linger = linger
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if let violation = error as? GooseFSError, !responded {
      responded = true
      let channel = context.channel
      let fallback = context.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
      let written = context.eventLoop.makePromise(of: Void.self)
      written.futureResult.whenComplete { _ in
        fallback.cancel()
        channel.close(promise: nil)
      }
      context.writeAndFlush(
        wrapOutboundOut(.error(blockID: 0, violation, allocator: context.channel.allocator)), promise: written)
    }
    context.fireErrorCaught(error)
  }
}
