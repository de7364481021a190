import Foundation

/// One page of ListObjectsV2.
struct ListObjectsPage: Sendable {
  struct Object: Sendable {
    var key: String
    var size: Int64
    /// Milliseconds since the epoch; 0 when missing or unparsable.
    var lastModified: Int64
    /// Without the surrounding quotes, so that listings and HEAD agree.
    var etag: String?
  }

  var objects: [Object] = []
  /// Common prefixes (with their trailing delimiter), decoded.
  var prefixes: [String] = []
  var nextContinuationToken: String?
  var isTruncated = false

  /// Parses a ListBucketResult. With `encoding-type=url` in the response, keys and prefixes
  /// are percent-decoded (S3 encodes them so that any byte, even XML-illegal ones, survives).
  static func parse(_ bytes: [UInt8]) throws -> ListObjectsPage {
    guard let root = S3XMLElement.parse(bytes), root.name == "ListBucketResult" else {
      throw ObjectStoreProtocolError("The listing response is not a ListBucketResult document.")
    }
    let urlEncoded = root.value("EncodingType")?.lowercased() == "url"
    let decode: (String) -> String = { urlEncoded ? PercentEncoding.decode($0) : $0 }
    var page = ListObjectsPage()
    page.isTruncated = root.value("IsTruncated")?.lowercased() == "true"
    page.nextContinuationToken = root.value("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
    for contents in root.children("Contents") {
      guard let key = contents.value("Key") else { continue }
      page.objects.append(
        Object(
          key: decode(key),
          size: contents.value("Size").flatMap { Int64($0) } ?? 0,
          lastModified: contents.value("LastModified").map(S3Timestamps.iso8601Milliseconds) ?? 0,
          etag: contents.value("ETag").map(S3Timestamps.unquotedETag)))
    }
    for prefix in root.children("CommonPrefixes") {
      if let value = prefix.value("Prefix") { page.prefixes.append(decode(value)) }
    }
    return page
  }
}

/// A response that does not have the shape the S3 API promises.
struct ObjectStoreProtocolError: Error, Sendable, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
