import Foundation
import NIOCore

/// One HTTP request to an object store, kept unencoded: signers canonicalise it their own way and
/// the transport encodes it once (`PercentEncoding`) when it builds the URL.
public struct HTTPRequest: Sendable {
  public var method: String
  /// "http" or "https".
  public var scheme: String
  public var host: String
  /// nil: the scheme's default port.
  public var port: Int?
  /// Absolute and unencoded, e.g. "/bucket/dir/a file.txt" (path style) or "/dir/a file.txt".
  public var path: String
  /// Unencoded query parameters in the order given; a parameter without value has value "".
  public var query: [(name: String, value: String)]
  public var headers: [(name: String, value: String)]
  public var body: ByteBuffer?

  public init(
    method: String, scheme: String, host: String, port: Int? = nil, path: String,
    query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
    body: ByteBuffer? = nil
  ) {
    self.method = method
    self.scheme = scheme
    self.host = host
    self.port = port
    self.path = path
    self.query = query
    self.headers = headers
    self.body = body
  }

  /// The Host header value: the port is included only when it is not the scheme's default.
  public var hostHeader: String {
    guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
    return "\(host):\(port)"
  }

  /// The first value of a header, by case-insensitive name.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }

  public mutating func setHeader(_ name: String, _ value: String) {
    headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    headers.append((name, value))
  }

  /// The full URL with path and query percent-encoded (RFC 3986 unreserved characters kept).
  public var url: String {
    var text = "\(scheme)://\(hostHeader)\(PercentEncoding.encode(path, keepSlash: true))"
    if !query.isEmpty {
      text += "?" + query.map { parameter in
        PercentEncoding.encode(parameter.name, keepSlash: false) + "=" + PercentEncoding.encode(parameter.value, keepSlash: false)
      }.joined(separator: "&")
    }
    return text
  }
}

public struct HTTPResponseHead: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]

  public init(status: Int, headers: [(name: String, value: String)]) {
    self.status = status
    self.headers = headers
  }

  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }
}

public struct HTTPResponse: Sendable {
  public var head: HTTPResponseHead
  public var body: ByteBuffer

  public init(head: HTTPResponseHead, body: ByteBuffer) {
    self.head = head
    self.body = body
  }

  public var status: Int { head.status }
}
