import GooseFSUFS
import Logging

enum CurlTestSupport {
  static func transport(_ configure: (inout CurlTransportConfiguration) -> Void = { _ in }) throws -> CurlHTTPTransport {
    var configuration = CurlTransportConfiguration()
    configure(&configuration)
    return try CurlHTTPTransport(configuration: configuration, logger: Logger(label: "curl-test"))
  }

  /// The port of a loopback socket that was bound and closed again: nothing listens there.
  static func closedPort() throws -> Int {
    let server = try FaultServerProcess.origin(bytes: 0)
    return server.port  // the process ends (and its port closes) when `server` is released
  }
}
