import Foundation
import GooseFSCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A server's web port: a small read-only status API (`/api/v1/...`, `/metrics`).
/// Nothing it serves contains configuration values, so no secret can leak through it.
public final class StatusWebServer: Sendable {
  public typealias Responder = @Sendable (String) -> (status: HTTPResponseStatus, contentType: String, body: String)

  private let channel: any Channel

  public static func start(host: String, port: Int, respond: @escaping Responder) async throws -> StatusWebServer {
    let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.backlog, value: 64)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline().flatMap {
          channel.pipeline.addHandler(WebHandler(respond: respond))
        }
      }
    let channel = try await bootstrap.bind(host: host, port: port).get()
    return StatusWebServer(channel: channel)
  }

  private init(channel: any Channel) {
    self.channel = channel
  }

  public var port: Int? { channel.localAddress?.port }

  public func close() async {
    try? await channel.close()
  }
}

private final class WebHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let respond: StatusWebServer.Responder

  init(respond: @escaping StatusWebServer.Responder) {
    self.respond = respond
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .head(let head) = unwrapInboundIn(data) else { return }
    let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "/")
    let (status, contentType, body) = respond(path)
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: contentType)
    headers.add(name: "Content-Length", value: String(body.utf8.count))
    headers.add(name: "Connection", value: "close")
    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
    // One response per connection: close once the last part is on the wire.
    let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
  }
}
