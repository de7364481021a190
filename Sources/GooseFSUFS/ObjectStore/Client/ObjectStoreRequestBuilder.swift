import NIOCore

/// Turns (method, key, query, headers) into an unsigned `HTTPRequest` for one location:
/// virtual-host or path addressing, and the dialect's header names.
struct ObjectStoreRequestBuilder: Sendable {
  let location: ObjectStoreLocation

  /// `key` nil addresses the bucket itself (listings, multi-object delete).
  func request(
    _ method: String, key: String?, query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], body: ByteBuffer? = nil
  ) -> HTTPRequest {
    let endpoint = location.endpoint
    var path = endpoint.pathStyle ? "/\(location.bucket)" : ""
    if let key {
      path += "/" + key
    } else if !endpoint.pathStyle {
      path = "/"
    }
    var allHeaders = headers
    // A body-less PUT/POST still needs an explicit length: some servers (and COS) reject
    // chunked or length-less uploads.
    if body != nil || method == "PUT" || method == "POST" {
      allHeaders.append(("Content-Length", String(body?.readableBytes ?? 0)))
    }
    return HTTPRequest(
      method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port, path: path,
      query: query, headers: allHeaders, body: body)
  }

  /// The header that makes a PUT a server-side copy of `sourceKey` in the same bucket.
  /// S3: `x-amz-copy-source: /bucket/key` (URL-encoded). COS: `x-cos-copy-source:
  /// <bucket>.cos.<region>.myqcloud.com/key`, i.e. the source's host followed by the key.
  func copySourceHeader(sourceKey: String) -> (name: String, value: String) {
    let encodedKey = PercentEncoding.encode(sourceKey, keepSlash: true)
    switch location.dialect {
    case .s3:
      return ("x-amz-copy-source", "/\(location.bucket)/\(encodedKey)")
    case .cos:
      let endpoint = location.endpoint
      let port = endpoint.port.map { ":\($0)" } ?? ""
      if endpoint.pathStyle {
        return ("x-cos-copy-source", "\(endpoint.host)\(port)/\(location.bucket)/\(encodedKey)")
      }
      return ("x-cos-copy-source", "\(endpoint.host)\(port)/\(encodedKey)")
    }
  }

  /// Header prefix for ACLs, metadata and server-side options in this dialect.
  var headerPrefix: String {
    location.dialect == .cos ? "x-cos-" : "x-amz-"
  }
}
