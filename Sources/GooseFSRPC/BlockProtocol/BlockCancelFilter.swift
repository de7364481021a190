import NIOCore
import Synchronization

/// Which request a client has cancelled, shared between the event loop (which sees CANCEL as soon
/// as it arrives) and the worker's task (which is busy writing DATA and not reading frames).
///
/// Requests are numbered in arrival order by both sides of the pipeline: a CANCEL applies to the
/// request most recently received before it. A CANCEL that crosses the read's END on the wire
/// therefore names a finished request and can never stop the next one.
final class BlockCancelSignal: Sendable {
  private let cancelledRequest = Atomic<UInt64>(0)

  func recordCancel(ofRequest number: UInt64) {
    cancelledRequest.store(number, ordering: .releasing)
  }

  func isCancelled(request number: UInt64) -> Bool {
    number != 0 && cancelledRequest.load(ordering: .acquiring) == number
  }
}

/// Takes CANCEL frames out of the server's inbound stream and records them in a `BlockCancelSignal`.
final class BlockCancelFilter: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = BlockFrame
  typealias InboundOut = BlockFrame

  private let signal: BlockCancelSignal
  private var requestsSeen: UInt64 = 0

  init(signal: BlockCancelSignal) {
    self.signal = signal
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = unwrapInboundIn(data)
    switch frame.op {
    case .cancel:
      signal.recordCancel(ofRequest: requestsSeen)
    case let op where op.isRequest:
      requestsSeen += 1
      context.fireChannelRead(data)
    default:
      context.fireChannelRead(data)
    }
  }
}
