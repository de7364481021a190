import GooseFSCore
import NIOCore
import NIOPosix
import Synchronization

/// One pipelined framed-protocol connection to one master, opened at the first call and again
/// after it broke. A call costs one hop to the event loop and one continuation: no task, timer
/// or HTTP/2 stream per call. Deadlines are checked by one sweep per second on the connection.
final class FramedRPCClient: Sendable {
  let host: String
  let port: Int
  private let group: any EventLoopGroup
  private let state = Mutex<State>(.idle)
  private let nextID = Atomic<UInt32>(1)

  init(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
    self.host = host
    self.port = port
    self.group = group
  }

  /// Sends one request and waits for its answer. Failures to reach the master, and a
  /// connection lost before the answer came, are `.unavailable` (the caller may fail over);
  /// the master's own errors come back as it threw them.
  func call(method: FramedMethod, payload: ByteBuffer, caller: CallerIdentity, timeout: Duration) async throws
    -> ByteBuffer
  {
    let channel = try await connected()
    let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    let request = FramedRequest(id: id, method: method.rawValue, caller: caller, payload: payload)
    let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        channel.send(request, deadline: deadline, continuation: continuation)
      }
    } onCancel: {
      channel.cancel(id)
    }
  }

  func close() {
    let current = state.withLock { state in
      defer { state = .idle }
      return state
    }
    switch current {
    case .connected(let channel): channel.close()
    case .connecting(let future): future.whenSuccess { $0.close() }
    case .idle: break
    }
  }

  private enum State {
    case idle
    case connecting(EventLoopFuture<FramedClientChannel>)
    case connected(FramedClientChannel)
  }

  /// The open connection, or the one being opened (callers arriving meanwhile share it), or a
  /// new one when the last broke.
  private func connected() async throws -> FramedClientChannel {
    let step = state.withLock { state -> State in
      switch state {
      case .connected(let channel) where !channel.isClosed:
        return state
      case .connecting:
        return state
      case .connected, .idle:
        state = .connecting(open())
        return state
      }
    }
    guard case .connecting(let future) = step else {
      guard case .connected(let channel) = step else { preconditionFailure("connected() never returns idle") }
      return channel
    }
    do {
      let channel = try await future.get()
      state.withLock { state in
        if case .connecting(let opening) = state, opening === future { state = .connected(channel) }
      }
      return channel
    } catch {
      state.withLock { state in
        if case .connecting(let opening) = state, opening === future { state = .idle }
      }
      throw GooseFSError(.unavailable, "Cannot connect to the master at \(host):\(port): \(error)")
    }
  }

  private func open() -> EventLoopFuture<FramedClientChannel> {
    ClientBootstrap(group: group)
      .channelOption(.tcpOption(.tcp_nodelay), value: 1)
      .connectTimeout(.seconds(5))
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FramedRPCFrameDecoder(expectsPreface: false)))
          try channel.pipeline.syncOperations.addHandler(FramedRPCClientHandler())
        }
      }
      .connect(host: host, port: port)
      .flatMapThrowing { channel in
        let handler = try channel.pipeline.syncOperations.handler(type: FramedRPCClientHandler.self)
        return FramedClientChannel(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
      }
  }
}

/// A connected channel and its handler, usable from any thread.
struct FramedClientChannel: Sendable {
  let channel: any Channel
  let handler: NIOLoopBound<FramedRPCClientHandler>

  var isClosed: Bool { !channel.isActive }

  func send(_ request: FramedRequest, deadline: NIODeadline, continuation: CheckedContinuation<ByteBuffer, any Error>) {
    channel.eventLoop.execute { handler.value.send(request, deadline: deadline, continuation: continuation) }
  }

  func cancel(_ id: UInt32) {
    channel.eventLoop.execute { handler.value.fail(id, CancellationError()) }
  }

  func close() {
    channel.close(promise: nil)
  }
}

/// Event-loop side of a client connection: the table of unanswered requests.
final class FramedRPCClientHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private struct Pending {
    var continuation: CheckedContinuation<ByteBuffer, any Error>
    var deadline: NIODeadline
  }

  private var pending: [UInt32: Pending] = [:]
  private var context: ChannelHandlerContext?
  private var sweep: RepeatedTask?
  private var closedError: GooseFSError?

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
  }

  func channelActive(context: ChannelHandlerContext) {
    context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: FramedRPCWire.preface)), promise: nil)
    let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
    sweep = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
      loopBound.value.failExpired()
    }
    context.fireChannelActive()
  }

  func send(_ request: FramedRequest, deadline: NIODeadline, continuation: CheckedContinuation<ByteBuffer, any Error>) {
    guard let context, closedError == nil, context.channel.isActive else {
      continuation.resume(throwing: closedError ?? GooseFSError(.unavailable, "The connection to the master is closed."))
      return
    }
    pending[request.id] = Pending(continuation: continuation, deadline: deadline)
    var buffer = context.channel.allocator.buffer(capacity: 64 + request.payload.readableBytes)
    request.write(to: &buffer)
    context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
  }

  func fail(_ id: UInt32, _ error: any Error) {
    pending.removeValue(forKey: id)?.continuation.resume(throwing: error)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var frame = unwrapInboundIn(data)
    do {
      let response = try FramedResponse.read(&frame)
      // An answer to a request that timed out or was cancelled: nobody waits for it any more.
      guard let waiting = pending.removeValue(forKey: response.id) else { return }
      switch response.result {
      case .success(let payload): waiting.continuation.resume(returning: payload)
      case .failure(let error): waiting.continuation.resume(throwing: error)
      }
    } catch {
      failAll(error as? GooseFSError ?? GooseFSError(.unavailable, "\(error)"))
      context.close(promise: nil)
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    failAll(GooseFSError(.unavailable, "The connection to the master failed: \(error)"))
    context.close(promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    sweep?.cancel()
    failAll(GooseFSError(.unavailable, "The master closed the connection before answering."))
    context.fireChannelInactive()
  }

  private func failAll(_ error: GooseFSError) {
    closedError = closedError ?? error
    let waiting = pending
    pending = [:]
    for entry in waiting.values { entry.continuation.resume(throwing: error) }
  }

  private func failExpired() {
    let now = NIODeadline.now()
    for (id, entry) in pending where entry.deadline < now {
      fail(id, GooseFSError(.deadlineExceeded, "The master did not answer in time."))
    }
  }
}
