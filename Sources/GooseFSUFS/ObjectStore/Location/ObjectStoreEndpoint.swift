import GooseFSCore

/// Where requests for one bucket go, and how the bucket is addressed.
public struct ObjectStoreEndpoint: Sendable, Equatable, CustomStringConvertible {
  /// "http" or "https".
  public let scheme: String
  /// The host requests are sent to: `bucket.s3.us-east-1.amazonaws.com` for virtual-host style,
  /// `127.0.0.1` for path style.
  public let host: String
  public let port: Int?
  /// Path style puts the bucket in the path (`/bucket/key`) instead of the host name.
  public let pathStyle: Bool

  public init(scheme: String, host: String, port: Int?, pathStyle: Bool) {
    self.scheme = scheme
    self.host = host
    self.port = port
    self.pathStyle = pathStyle
  }

  public var description: String {
    let portText = port.map { ":\($0)" } ?? ""
    return "\(scheme)://\(host)\(portText) (\(pathStyle ? "path" : "virtual-host") style)"
  }

  /// A parsed `http(s)://host[:port][/]` URL; nil when `text` does not start with a scheme.
  struct URLParts {
    var scheme: String
    var host: String
    var port: Int?
  }

  static func parseURL(_ text: String, key: String) throws -> URLParts? {
    let lower = text.lowercased()
    let scheme: String
    if lower.hasPrefix("http://") {
      scheme = "http"
    } else if lower.hasPrefix("https://") {
      scheme = "https"
    } else {
      return nil
    }
    var rest = Substring(text.dropFirst(scheme.count + 3))
    if let slash = rest.firstIndex(of: "/") {
      guard rest[slash...].allSatisfy({ $0 == "/" }) else {
        throw GooseFSError(.invalidArgument, "\(key) \"\(text)\" must be a host or a URL without a path.")
      }
      rest = rest[..<slash]
    }
    let (host, port) = try splitHostPort(rest, original: text, key: key)
    return URLParts(scheme: scheme, host: host, port: port)
  }

  /// `host` or `host:port` (IPv6 literals in brackets keep their colons).
  static func splitHostPort(_ text: Substring, original: String, key: String) throws -> (String, Int?) {
    guard !text.isEmpty, !text.contains("@") else {
      throw GooseFSError(.invalidArgument, "\(key) \"\(original)\" has no usable host.")
    }
    if let colon = text.lastIndex(of: ":"), !text[colon...].contains("]") {
      guard let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
        throw GooseFSError(.invalidArgument, "\(key) \"\(original)\" has an invalid port.")
      }
      return (String(text[..<colon]), port)
    }
    return (String(text), nil)
  }

  /// Virtual-host addressing needs the bucket to be a valid DNS label sequence, and over HTTPS a
  /// dot in the bucket name breaks the wildcard certificate; such buckets go path style, as the
  /// AWS SDKs do.
  static func supportsVirtualHost(bucket: String, scheme: String) -> Bool {
    let allowed = bucket.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
    guard allowed, !bucket.hasPrefix("-"), !bucket.hasSuffix("-") else { return false }
    return !(scheme == "https" && bucket.contains("."))
  }
}
