/// What HEAD tells about an object.
struct ObjectHead: Sendable, Equatable {
  var length: Int64
  /// Milliseconds since the epoch.
  var lastModified: Int64
  /// Unquoted.
  var etag: String?

  init(length: Int64, lastModified: Int64, etag: String?) {
    self.length = length
    self.lastModified = lastModified
    self.etag = etag
  }

  init(_ head: HTTPResponseHead) {
    self.length = head.header("Content-Length").flatMap { Int64($0) } ?? 0
    self.lastModified = head.header("Last-Modified").map(S3Timestamps.httpDateMilliseconds) ?? 0
    self.etag = head.header("ETag").map(S3Timestamps.unquotedETag)
  }
}
