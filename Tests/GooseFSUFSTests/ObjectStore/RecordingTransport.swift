import GooseFSUFS
import NIOCore
import Synchronization

/// A transport that answers from a script and remembers every request, to check the shape of
/// what the adapter sends (headers, paths, signatures) without a server.
final class RecordingTransport: HTTPTransport {
  typealias Responder = @Sendable (HTTPRequest) -> HTTPResponse

  private let requests = Mutex<[HTTPRequest]>([])
  private let responder: Responder

  init(_ responder: @escaping Responder = { _ in RecordingTransport.response(200) }) {
    self.responder = responder
  }

  var recorded: [HTTPRequest] { requests.withLock { $0 } }

  func execute(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
    requests.withLock { $0.append(request) }
    return responder(request)
  }

  func stream(
    _ request: HTTPRequest, idleTimeout: Duration,
    onHead: @escaping @Sendable (HTTPResponseHead) async throws -> Void,
    onBody: @escaping @Sendable (ByteBuffer) async throws -> Void
  ) async throws {
    requests.withLock { $0.append(request) }
    let response = responder(request)
    try await onHead(response.head)
    if response.body.readableBytes > 0 { try await onBody(response.body) }
  }

  static func response(_ status: Int, headers: [(name: String, value: String)] = [], body: String = "") -> HTTPResponse {
    HTTPResponse(head: HTTPResponseHead(status: status, headers: headers), body: ByteBuffer(string: body))
  }

  static func error(_ status: Int, code: String, message: String = "") -> HTTPResponse {
    response(
      status, headers: [("Content-Type", "application/xml")],
      body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message>"
        + "<RequestId>1</RequestId></Error>")
  }
}
