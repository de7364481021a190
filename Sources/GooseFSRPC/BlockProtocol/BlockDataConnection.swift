import GooseFSCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A client's connection to one worker's block port. One exchange at a time (docs/block-protocol.md):
/// `read`, `writeBlock`/`writeUfsFile` and `call` each start one and fail while another is open.
///
/// An exchange that ends as the protocol says (END, ACK, or an ERROR frame answering a read or a
/// call) leaves the connection reusable. Anything else (a protocol violation, a timeout, a read
/// abandoned without `cancel()`, an aborted write, a cancelled task) closes it, and `isReusable`
/// turns false so a pool drops it.
public final class BlockDataConnection: Sendable {
  public let host: String
  public let port: Int
  public let configuration: BlockProtocolConfiguration
  /// How long a response may stay silent (no frame) before the request fails.
  public let idleTimeout: TimeAmount

  let channel: any Channel
  let inbound: BlockInboundQueue
  private let exchange = NIOLockedValueBox(ExchangeState.idle)

  private enum ExchangeState {
    case idle
    case open(BlockOp)
    case broken
  }

  private init(
    host: String, port: Int, channel: any Channel, inbound: BlockInboundQueue, idleTimeout: TimeAmount,
    configuration: BlockProtocolConfiguration
  ) {
    self.host = host
    self.port = port
    self.channel = channel
    self.inbound = inbound
    self.idleTimeout = idleTimeout
    self.configuration = configuration
  }

  /// "host:port", as error messages name the worker.
  public var worker: String { "\(host):\(port)" }

  /// Connects, failing with `.unavailable` naming the worker if that takes longer than `timeout`.
  public static func connect(
    host: String, port: Int, group: any EventLoopGroup, timeout: TimeAmount = .seconds(10),
    idleTimeout: TimeAmount = .seconds(60), configuration: BlockProtocolConfiguration = BlockProtocolConfiguration()
  ) async throws -> BlockDataConnection {
    let worker = "\(host):\(port)"
    let (channel, inbound): (any Channel, BlockInboundQueue)
    do {
      (channel, inbound) = try await ClientBootstrap(group: group)
        .connectTimeout(timeout)
        .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        .channelOption(.writeBufferWaterMark, value: configuration.writeBufferWaterMark)
        .channelOption(.recvAllocator, value: configuration.receiveAllocator)
        .connect(host: host, port: port) { channel in
          channel.eventLoop.makeCompletedFuture {
            let inbound = BlockInboundQueue(
              channel: channel, peer: worker, highWatermark: configuration.inboundHighWatermark,
              lowWatermark: configuration.inboundLowWatermark)
            try channel.pipeline.syncOperations.addHandlers([
              // DATA arrives in pieces, uncopied; BlockReadStream checks their offsets.
              ByteToMessageHandler(BlockFrameDecoder(splitsDataPayloads: true)),
              BlockFrameEncoder(),
              BlockClientInboundHandler(queue: inbound),
            ])
            return (channel, inbound)
          }
        }
    } catch let error as ChannelError where error == .connectTimeout(timeout) {
      throw GooseFSError(.unavailable, "Cannot connect to worker \(worker): no answer within \(BlockInboundQueue.describe(timeout))")
    } catch {
      throw GooseFSError(.unavailable, "Cannot connect to worker \(worker): \(error)")
    }
    return BlockDataConnection(
      host: host, port: port, channel: channel, inbound: inbound, idleTimeout: idleTimeout, configuration: configuration)
  }

  /// True when the connection is open, no exchange is in progress and nothing unexpected arrived:
  /// it can serve another request.
  public var isReusable: Bool {
    let idle = exchange.withLockedValue { if case .idle = $0 { true } else { false } }
    return idle && channel.isActive && inbound.failure == nil && inbound.bufferedCount == 0
  }

  /// Closes the connection; an exchange in progress fails.
  public func close() async {
    markBroken()
    // closeFuture never fails; it completes once the socket is closed.
    _ = try? await channel.closeFuture.get()
  }

  // MARK: Exchange bookkeeping (used by the request files)

  func beginExchange(_ op: BlockOp) throws {
    try exchange.withLockedValue { state in
      switch state {
      case .idle:
        state = .open(op)
      case .open(let current):
        throw GooseFSError(.failedPrecondition, "Connection to worker \(worker) is still busy with a \(current) request")
      case .broken:
        throw GooseFSError(.unavailable, "Connection to worker \(worker) is closed")
      }
    }
    if let failure = inbound.failure {
      markBroken()
      throw failure
    }
    if inbound.bufferedCount > 0 {
      throw fail(GooseFSError.blockProtocol("worker \(worker) sent frames nobody asked for"))
    }
  }

  /// The exchange ended as the protocol says; the connection can be reused.
  func endExchange() {
    exchange.withLockedValue { state in
      if case .open = state { state = .idle }
    }
  }

  /// Whether an exchange is open (a read not yet at END/ERROR, a write not yet answered).
  var isExchangeOpen: Bool {
    exchange.withLockedValue { if case .open = $0 { true } else { false } }
  }

  func markBroken() {
    exchange.withLockedValue { $0 = .broken }
    channel.close(promise: nil)
  }

  /// Ends the exchange in failure: the connection is closed and `error` (as a GooseFSError) is
  /// what the caller should throw.
  func fail(_ error: any Error) -> GooseFSError {
    markBroken()
    return describe(error)
  }

  /// Any error of this connection as a GooseFSError; a write that failed because the connection
  /// ended reports why it ended.
  func describe(_ error: any Error) -> GooseFSError {
    if let error = error as? GooseFSError { return error }
    if let failure = inbound.failure { return failure }
    return GooseFSError(.unavailable, "Connection to worker \(worker) failed: \(error)")
  }

  // MARK: Frames

  /// Queues `frames` and flushes once; the future completes when the last one is on the wire.
  func write(_ frames: [BlockFrameOut]) -> EventLoopFuture<Void> {
    let channel = self.channel
    return channel.eventLoop.flatSubmit {
      var last = channel.eventLoop.makeSucceededVoidFuture()
      for frame in frames { last = channel.write(frame) }
      channel.flush()
      return last
    }
  }

  /// Sends `frame` and waits until it is on the wire, at most the idle timeout.
  func send(_ frame: BlockFrameOut) async throws {
    try await awaitWritten(write([frame]))
  }

  /// Waits for a write; a worker that stops reading for `idleTimeout` fails it with
  /// `.deadlineExceeded` (the connection is closed, which fails the write).
  func awaitWritten(_ written: EventLoopFuture<Void>) async throws {
    let worker = self.worker
    let inbound = self.inbound
    let channel = self.channel
    let timeout = idleTimeout
    let timer = channel.eventLoop.scheduleTask(in: timeout) {
      inbound.finish(
        GooseFSError(
          .deadlineExceeded, "Worker \(worker) accepted no data for \(BlockInboundQueue.describe(timeout)); closing the connection"))
      channel.close(promise: nil)
    }
    defer { timer.cancel() }
    do {
      try await written.get()
    } catch {
      throw fail(error)
    }
  }

  /// The next frame of the response; any failure closes the connection.
  func nextFrame(timeout: TimeAmount? = nil) async throws -> BlockFrame {
    do {
      return try await inbound.next(timeout: timeout ?? idleTimeout)
    } catch {
      throw fail(error)
    }
  }
}
