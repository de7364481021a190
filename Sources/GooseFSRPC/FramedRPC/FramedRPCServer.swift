import GooseFSCore
import Logging
import NIOCore
import Synchronization

/// Serves the framed master protocol (see `FramedRPCWire`) on connections the master's gRPC
/// listener hands over. Requests of one connection run concurrently, at most
/// `maxInFlightPerConnection` at once (beyond that the connection is not read: backpressure to
/// the client's socket); each runs the same method body as its gRPC twin.
public final class FramedRPCServer: Sendable {
  /// Decodes the request message, runs the call for `caller`, encodes the response message.
  public typealias Method = @Sendable (_ payload: ByteBuffer, _ caller: CallerIdentity) async throws -> ByteBuffer
  /// The same, run on the event loop that read the request, or nil when the call must run as a
  /// task after all (`methods` then has it). Must not block beyond a short lock.
  public typealias InlineMethod = @Sendable (_ payload: ByteBuffer, _ caller: CallerIdentity) throws -> InlineAnswer?

  /// What an inline method made of a request.
  public enum InlineAnswer: Sendable {
    /// Send this now.
    case now(ByteBuffer)
    /// Send this once `wait` calls back, from any thread (a journaled change: once its entries
    /// are durable). The call counts as in flight until then.
    case later(ByteBuffer, wait: @Sendable (_ then: @escaping @Sendable () -> Void) -> Void)
  }

  let methods: [UInt16: Method]
  let inlineMethods: [UInt16: InlineMethod]
  let maxInFlightPerConnection: Int
  let logger: Logger
  /// The task serving each connection, and whether the master is stopping (then new
  /// connections are closed at once).
  private let serving = Mutex<(stopping: Bool, tasks: [ObjectIdentifier: Task<Void, Never>])>((false, [:]))

  public init(
    methods: [FramedMethod: Method], inlineMethods: [FramedMethod: InlineMethod] = [:], maxInFlightPerConnection: Int,
    logger: Logger
  ) {
    precondition(maxInFlightPerConnection > 0, "goosefs.master.rpc.framed.requests.max must be positive")
    precondition(inlineMethods.keys.allSatisfy { methods[$0] != nil }, "an inline method needs its task twin")
    self.methods = Dictionary(uniqueKeysWithValues: methods.map { ($0.key.rawValue, $0.value) })
    self.inlineMethods = Dictionary(uniqueKeysWithValues: inlineMethods.map { ($0.key.rawValue, $0.value) })
    self.maxInFlightPerConnection = maxInFlightPerConnection
    self.logger = logger
  }

  /// Runs until the calling task is cancelled (the master stops), then waits for every
  /// connection to finish: each answers the calls it started and closes, on the gRPC server's
  /// graceful-shutdown (quiesce) event or when its client goes. Connections are served by tasks
  /// of their own, not children of this one, so that stopping does not cancel calls in flight
  /// (a create cut short would leave its client unsure whether it happened).
  public func run() async {
    await AsyncStream<Void> { _ in }.first { _ in true }
    let tasks = serving.withLock { serving in
      serving.stopping = true
      return Array(serving.tasks.values)
    }
    for task in tasks { await task.value }
  }

  /// Called on the event loop by the listener: the handlers a framed connection needs, put in
  /// front of `sniffer` (they must see the bytes first and never pass them on).
  func install(in pipeline: ChannelPipeline.SynchronousOperations, before sniffer: ChannelHandlerContext) throws {
    let handler = FramedRPCServerHandler(maxInFlight: maxInFlightPerConnection, inlineMethods: inlineMethods)
    try pipeline.addHandler(ByteToMessageHandler(FramedRPCFrameDecoder(expectsPreface: true)), position: .before(sniffer.handler))
    try pipeline.addHandler(handler, position: .before(sniffer.handler))
    let connection = FramedServerConnection(handler: handler, eventLoop: sniffer.eventLoop)
    let key = ObjectIdentifier(connection)
    let started = serving.withLock { serving -> Bool in
      guard !serving.stopping else { return false }
      serving.tasks[key] = Task {
        await connection.serve(self)
        self.serving.withLock { _ = $0.tasks.removeValue(forKey: key) }
      }
      return true
    }
    // The master is stopping: nobody will serve this connection.
    if !started { sniffer.close(promise: nil) }
  }

  func dispatch(_ request: FramedRequest) async -> FramedResponse {
    guard let method = methods[request.method] else {
      return FramedResponse(
        id: request.id, result: .failure(GooseFSError(.unimplemented, "Framed RPC: unknown method \(request.method).")))
    }
    do {
      return FramedResponse(id: request.id, result: .success(try await method(request.payload, request.caller)))
    } catch {
      return FramedResponse(id: request.id, result: .failure(RPCErrorMapping.goosefsError(from: error)))
    }
  }
}

/// One framed connection as its serving task sees it: the requests, and a way to answer.
final class FramedServerConnection: Sendable {
  let requests: AsyncStream<FramedRequest>
  private let handler: NIOLoopBound<FramedRPCServerHandler>
  private let eventLoop: any EventLoop

  init(handler: FramedRPCServerHandler, eventLoop: any EventLoop) {
    // Unbounded in type only: the handler stops reading the socket at its in-flight limit.
    let (requests, continuation) = AsyncStream<FramedRequest>.makeStream()
    self.requests = requests
    handler.requests = continuation
    self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
    self.eventLoop = eventLoop
  }

  func serve(_ server: FramedRPCServer) async {
    await withDiscardingTaskGroup { group in
      // Ends when the connection closes or quiesces (the stream is finished then).
      for await request in requests {
        group.addTask {
          let response = await server.dispatch(request)
          self.eventLoop.execute { self.handler.value.answer(response) }
        }
      }
    }
    // Requests still queued when serving stopped would never be answered: close instead, and
    // the client fails them over (they were not run).
    eventLoop.execute { self.handler.value.close() }
  }
}

/// Frames in, responses out, reads paused while `maxInFlight` calls are unanswered; on the
/// listener's quiesce event (graceful shutdown) stops reading and closes once idle.
final class FramedRPCServerHandler: ChannelDuplexHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = NIOAny
  typealias OutboundOut = ByteBuffer

  var requests: AsyncStream<FramedRequest>.Continuation?
  private let maxInFlight: Int
  private let inlineMethods: [UInt16: FramedRPCServer.InlineMethod]
  private var inFlight = 0
  private var readPending = false
  private var quiescing = false
  /// Inline answers written since the last flush: flushed once per socket read, so a client's
  /// pipelined burst is answered with one write.
  private var unflushed = false
  private var context: ChannelHandlerContext?

  init(maxInFlight: Int, inlineMethods: [UInt16: FramedRPCServer.InlineMethod]) {
    self.maxInFlight = maxInFlight
    self.inlineMethods = inlineMethods
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
    requests?.finish()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var frame = unwrapInboundIn(data)
    let request: FramedRequest
    do {
      request = try FramedRequest.read(&frame)
    } catch {
      // Without a well-formed request there is no id to answer: the peer is not one of ours.
      context.close(promise: nil)
      return
    }
    if !quiescing, let inline = inlineMethods[request.method] {
      let result: Result<ByteBuffer, GooseFSError>?
      do {
        switch try inline(request.payload, request.caller) {
        case .now(let bytes):
          result = .success(bytes)
        case .later(let bytes, let wait):
          inFlight += 1
          let loop = context.eventLoop
          let handler = NIOLoopBound(self, eventLoop: loop)
          let response = FramedResponse(id: request.id, result: .success(bytes))
          wait { loop.execute { handler.value.answer(response) } }
          return
        case nil:
          result = nil
        }
      } catch {
        result = .failure(RPCErrorMapping.goosefsError(from: error))
      }
      if let result {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        FramedResponse(id: request.id, result: result).write(to: &buffer)
        context.write(wrapOutboundOut(buffer), promise: nil)
        unflushed = true
        return
      }
    }
    inFlight += 1
    guard let requests, case .enqueued = requests.yield(request) else {
      // Serving has stopped: nobody would answer.
      context.close(promise: nil)
      return
    }
  }

  // Reads are not passed on: the inert gRPC pipeline behind must not see framed bytes.
  func channelReadComplete(context: ChannelHandlerContext) {
    if unflushed {
      unflushed = false
      context.flush()
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    requests?.finish()
    context.fireChannelInactive()
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    // The gRPC server's graceful shutdown: answer what was asked, then close. Not passed on, or
    // the HTTP/2 handler behind would close the connection at once.
    if event is ChannelShouldQuiesceEvent {
      quiescing = true
      requests?.finish()
      if inFlight == 0 { context.close(promise: nil) }
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    // A malformed frame or a socket error: this connection is done; the client fails over.
    context.close(promise: nil)
  }

  func read(context: ChannelHandlerContext) {
    if inFlight >= maxInFlight || quiescing {
      readPending = true
    } else {
      context.read()
    }
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    // Only this handler writes on a framed connection; anything from behind is the inert gRPC
    // pipeline's (already swallowed by the sniffer, but never let it reach the socket).
    promise?.succeed()
  }

  func answer(_ response: FramedResponse) {
    guard let context else { return }
    var buffer = context.channel.allocator.buffer(capacity: 64)
    response.write(to: &buffer)
    context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    inFlight -= 1
    if quiescing {
      if inFlight == 0 { context.close(promise: nil) }
    } else if readPending, inFlight < maxInFlight {
      readPending = false
      context.read()
    }
  }

  func close() {
    context?.close(promise: nil)
  }
}
