import NIOCore

/// First handler of every connection accepted on the master's gRPC port: the first four bytes
/// say whether the peer speaks HTTP/2 (gRPC) or the framed master protocol. The gRPC pipeline is
/// set up behind it at accept time (the transport needs it then); until the bytes arrive, what
/// that pipeline writes (its SETTINGS) is held here, so a framed client never sees HTTP/2.
/// - HTTP/2 (or anything else: the HTTP/2 handler then refuses it as before): held writes go
///   out, the bytes go on, and the sniffer removes itself.
/// - Framed: held writes are dropped, `installFramed` puts the framed handlers in front of this
///   one and the bytes go to them; from then on the sniffer swallows everything the inert gRPC
///   pipeline behind it would write or close, and the framed handlers never pass reads to it.
final class ProtocolSniffer: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer
  typealias OutboundIn = NIOAny
  typealias OutboundOut = NIOAny

  private enum State {
    case sniffing(received: ByteBuffer?, heldWrites: [(NIOAny, EventLoopPromise<Void>?)], heldFlush: Bool)
    case framed
    case passedOn
  }

  private var state: State = .sniffing(received: nil, heldWrites: [], heldFlush: false)
  private let installFramed: (ChannelHandlerContext) throws -> Void

  init(installFramed: @escaping (ChannelHandlerContext) throws -> Void) {
    self.installFramed = installFramed
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .sniffing(var received, let heldWrites, let heldFlush) = state else {
      // Framed: nothing should reach the gRPC pipeline; passedOn: we are being removed.
      if case .passedOn = state { context.fireChannelRead(data) }
      return
    }
    var bytes = unwrapInboundIn(data)
    if received == nil {
      received = bytes
    } else {
      received!.writeBuffer(&bytes)
    }
    guard let buffered = received, buffered.readableBytes >= FramedRPCWire.magic.count else {
      state = .sniffing(received: received, heldWrites: heldWrites, heldFlush: heldFlush)
      return
    }
    if buffered.getBytes(at: buffered.readerIndex, length: FramedRPCWire.magic.count) == FramedRPCWire.magic {
      state = .framed
      for (_, promise) in heldWrites { promise?.succeed() }
      do {
        try installFramed(context)
      } catch {
        context.close(promise: nil)
        return
      }
      context.pipeline.syncOperations.fireChannelRead(NIOAny(buffered))
      context.pipeline.syncOperations.fireChannelReadComplete()
    } else {
      state = .passedOn
      for (write, promise) in heldWrites { context.write(write, promise: promise) }
      if heldFlush { context.flush() }
      context.fireChannelRead(wrapInboundOut(buffered))
      context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    if case .passedOn = state { context.fireChannelReadComplete() }
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    switch state {
    case .sniffing(let received, var heldWrites, let heldFlush):
      heldWrites.append((data, promise))
      state = .sniffing(received: received, heldWrites: heldWrites, heldFlush: heldFlush)
    case .framed:
      promise?.succeed()
    case .passedOn:
      context.write(data, promise: promise)
    }
  }

  func flush(context: ChannelHandlerContext) {
    switch state {
    case .sniffing(let received, let heldWrites, _):
      state = .sniffing(received: received, heldWrites: heldWrites, heldFlush: true)
    case .framed:
      break
    case .passedOn:
      context.flush()
    }
  }

  /// On a framed connection the inert gRPC pipeline must not close it either: its keepalive
  /// (a PING every 2 h without HTTP/2 traffic, then 20 s for an answer that never comes) would
  /// otherwise cut a busy framed connection. The framed handlers close it themselves, in front
  /// of this handler.
  func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
    if case .framed = state {
      promise?.succeed()
      return
    }
    context.close(mode: mode, promise: promise)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    // Closed while still sniffing: nothing will send the held writes.
    if case .sniffing(_, let heldWrites, _) = state {
      for (_, promise) in heldWrites { promise?.fail(ChannelError.ioOnClosedChannel) }
      state = .passedOn
    }
  }
}
