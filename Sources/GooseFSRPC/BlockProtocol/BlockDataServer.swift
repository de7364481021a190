import GooseFSCore
import Logging
import NIOCore
import NIOPosix

/// The worker's block protocol listener (docs/block-protocol.md).
///
/// `bind` opens the port; `run` accepts connections and runs `handler` for each in a child task of
/// a discarding task group, so every connection's work is owned by `run` and `run` returns only
/// after the last handler has. `close` is the graceful stop: no new connections, idle connections
/// are ended, busy ones end after their current exchange. Cancelling the task that runs `run` is
/// the hard stop.
///
/// At most `maxConnections` connections are served at once: the first request of one beyond that
/// is answered with a `resourceExhausted` ERROR and the connection is closed, so a client fails
/// over or retries instead of the worker's memory growing with every socket.
public final class BlockDataServer: Sendable {
  public typealias Handler = @Sendable (BlockServerConnection) async throws -> Void

  /// The bound port (useful when bound to port 0).
  public let port: Int
  public let localAddress: SocketAddress?

  private let listener: NIOAsyncChannel<AcceptedConnection, Never>
  private let connections = BlockServerConnections()
  private let handler: Handler
  private let configuration: BlockProtocolConfiguration
  private let maxConnections: Int
  private let logger: Logger

  /// What the bootstrap hands over per accepted connection.
  struct AcceptedConnection: Sendable {
    var channel: NIOAsyncChannel<BlockFrame, BlockFrameOut>
    var cancelSignal: BlockCancelSignal
  }

  private init(
    listener: NIOAsyncChannel<AcceptedConnection, Never>, handler: @escaping Handler,
    configuration: BlockProtocolConfiguration, maxConnections: Int, logger: Logger
  ) {
    precondition(maxConnections > 0, "a block server must accept at least one connection")
    self.listener = listener
    self.localAddress = listener.channel.localAddress
    self.port = listener.channel.localAddress?.port ?? 0
    self.handler = handler
    self.configuration = configuration
    self.maxConnections = maxConnections
    self.logger = logger
  }

  public static func bind(
    host: String, port: Int, group: any EventLoopGroup,
    configuration: BlockProtocolConfiguration = BlockProtocolConfiguration(), maxConnections: Int = 1024,
    logger: Logger = Logger(label: "goosefs.block.server"),
    handler: @escaping Handler
  ) async throws -> BlockDataServer {
    let listener: NIOAsyncChannel<AcceptedConnection, Never>
    do {
      listener = try await ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 256)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelOption(.writeBufferWaterMark, value: configuration.writeBufferWaterMark)
        .childChannelOption(.recvAllocator, value: configuration.receiveAllocator)
        .bind(host: host, port: port) { channel in
          channel.eventLoop.makeCompletedFuture {
            let cancelSignal = BlockCancelSignal()
            try channel.pipeline.syncOperations.addHandlers([
              ByteToMessageHandler(BlockFrameDecoder()),
              BlockFrameEncoder(),
              BlockCancelFilter(signal: cancelSignal),
              BlockViolationResponder(linger: configuration.closeLinger),
            ])
            let asyncChannel = try NIOAsyncChannel<BlockFrame, BlockFrameOut>(
              wrappingChannelSynchronously: channel,
              configuration: .init(
                backPressureStrategy: .init(
                  lowWatermark: configuration.inboundLowWatermark, highWatermark: configuration.inboundHighWatermark)
              )
            )
            return AcceptedConnection(channel: asyncChannel, cancelSignal: cancelSignal)
          }
        }
    } catch {
      throw GooseFSError(.unavailable, "Cannot listen for block clients on \(host):\(port): \(error)")
    }
    return BlockDataServer(
      listener: listener, handler: handler, configuration: configuration, maxConnections: maxConnections, logger: logger)
  }

  /// Accepts and serves connections until `close()`; call once.
  public func run() async throws {
    try await listener.executeThenClose { accepted in
      try await withThrowingDiscardingTaskGroup { group in
        for try await connection in accepted {
          group.addTask { await self.serve(connection) }
        }
      }
    }
  }

  /// Stops accepting, ends idle connections and lets busy ones finish their exchange; `run`
  /// returns once they are all gone.
  public func close() async {
    for channel in connections.beginClosing() {
      channel.shutDownOutputThenClose(linger: configuration.closeLinger)
    }
    do {
      try await listener.channel.close()
    } catch {
      logger.debug("Block listener already closed: \(error)")
    }
  }

  /// Connections currently open (for tests and metrics).
  public var connectionCount: Int { connections.count }

  /// The open connections' channels (tests reach into them to observe writability or cut them).
  var connectionChannels: [any Channel] { connections.channels }

  /// Answers the first request of a connection over the limit with ERROR; the caller closes it.
  private func refuse(_ connection: BlockServerConnection) async throws {
    guard try await connection.nextFrame() != nil else { return }
    logger.warning("Refused a block connection from \(connection.peerDescription): \(maxConnections) are open already")
    try await connection.sendError(
      GooseFSError(
        .resourceExhausted,
        "The worker serves at most \(maxConnections) block connections at once (goosefs.worker.network.connections.max); retry later"))
  }

  /// One connection's life. Never throws: one client's failure must not cancel the others (a
  /// throwing child would cancel the whole group).
  private func serve(_ accepted: AcceptedConnection) async {
    let (id, closing, open) = connections.register(accepted.channel.channel)
    defer { connections.remove(id) }
    do {
      try await accepted.channel.executeThenClose { inbound, outbound in
        let connection = BlockServerConnection(
          channel: accepted.channel.channel, inbound: inbound, outbound: outbound, cancelSignal: accepted.cancelSignal,
          connections: connections, id: id, configuration: configuration)
        if closing {
          accepted.channel.channel.shutDownOutputThenClose(linger: configuration.closeLinger)
        }
        do {
          if open > maxConnections {
            try await refuse(connection)
          } else {
            try await handler(connection)
          }
        } catch {
          // A client that goes away mid-exchange (an abandoned read, a killed process) is routine;
          // a handler failing on a live connection is not.
          let clientLeft = !accepted.channel.channel.isActive || error is IOError || error is ChannelError
          logger.log(
            level: clientLeft ? .debug : .warning, "Block connection failed",
            metadata: ["peer": "\(connection.peerDescription)", "error": "\(error)"])
          // Tell the client why its exchange stops, if the connection still works.
          if connection.currentRequest != nil, !clientLeft {
            let reported = (error as? GooseFSError) ?? GooseFSError(.internalError, "\(error)")
            do {
              try await connection.sendError(reported)
            } catch {
              logger.debug("Could not report the failure to \(connection.peerDescription): \(error)")
            }
          }
        }
        // executeThenClose closes the socket at once, discarding what NIO still holds: let the
        // last frames (an END, an ERROR) reach the client first.
        await accepted.channel.channel.drainAndShutDownOutput(linger: configuration.closeLinger)
      }
    } catch {
      logger.debug("Block connection closed with \(error)")
    }
  }
}
