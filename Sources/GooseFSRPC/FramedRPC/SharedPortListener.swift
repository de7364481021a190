import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix

/// The master's one RPC port (`goosefs.master.rpc.port`) for both protocols: gRPC for every
/// service, and the framed master protocol for the hot metadata calls. Sharing the port keeps
/// every deployment (Fluid picks each port and passes it as a property) unchanged.
///
/// Each accepted connection gets the gRPC pipeline (the transport needs it at accept time) with
/// a `ProtocolSniffer` in front that decides by the first bytes; see there.
public struct SharedPortListener: HTTP2ServerTransport.ListenerFactory {
  public typealias Transport = HTTP2ServerTransport.Custom<SharedPortListener>

  let host: String
  let port: Int
  let framed: FramedRPCServer
  public var eventLoopGroup: any EventLoopGroup { MultiThreadedEventLoopGroup.singleton }

  public init(host: String, port: Int, framed: FramedRPCServer) {
    self.host = host
    self.port = port
    self.framed = framed
  }

  /// The server transport for `GRPCServer`, with flush coalescing off: it delays every reply by
  /// up to 100 µs to batch writes, which a metadata call answered in microseconds pays in full.
  public func transport() -> Transport {
    var config = Transport.Config.defaults
    config.connection.flushCoalescing = nil
    return Transport(listenerFactory: self, config: config)
  }

  public func makeListeningChannel(
    listenerConfigurator: HTTP2ServerTransport.ListenerConfigurator,
    connectionConfigurator: HTTP2ServerTransport.ConnectionConfigurator
  ) async throws -> NIOAsyncChannel<HTTP2ServerTransport.ConnectionConfigurator.ConnectionChannel, Never> {
    let framed = self.framed
    return try await ServerBootstrap(group: eventLoopGroup)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .serverChannelInitializer { channel in listenerConfigurator.configure(channel: channel) }
      .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
      .bind(host: host, port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          let sniffer = ProtocolSniffer { context in
            try framed.install(in: context.pipeline.syncOperations, before: context)
          }
          try channel.pipeline.syncOperations.addHandler(sniffer)
        }.flatMap {
          connectionConfigurator.configure(channel: channel, tls: .none)
        }
      }
  }
}
