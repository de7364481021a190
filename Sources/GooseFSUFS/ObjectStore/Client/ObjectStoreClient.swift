import Foundation
import GooseFSCore
import Logging
import NIOCore

/// The S3/COS REST operations the adapter needs, for one bucket. Every request is rebuilt and
/// re-signed on each attempt of `HTTPRetryPolicy` (signatures carry a timestamp), and every
/// failure leaves here as a `GooseFSError` whose message names the path and bucket only.
struct ObjectStoreClient: Sendable {
  let location: ObjectStoreLocation
  let builder: ObjectStoreRequestBuilder
  let transport: any HTTPTransport
  let signer: any RequestSigner
  let retry: HTTPRetryPolicy
  let logger: Logger

  init(location: ObjectStoreLocation, transport: any HTTPTransport, signer: any RequestSigner, retry: HTTPRetryPolicy, logger: Logger) {
    self.location = location
    self.builder = ObjectStoreRequestBuilder(location: location)
    self.transport = transport
    self.signer = signer
    self.retry = retry
    self.logger = logger
  }

  /// The location string of a key, for messages (`s3://bucket/dir/file`).
  func display(_ key: String) -> String {
    "\(location.uri.scheme)://\(location.uri.authority)/\(key)"
  }

  // MARK: - Sending

  /// Sends with retries; the response may have any status. Only transport failures throw.
  func perform(
    _ operation: String, path: String?, _ build: @escaping @Sendable () -> HTTPRequest
  ) async throws -> HTTPResponse {
    let signer = self.signer
    let transport = self.transport
    let timeout = location.tuning.requestTimeout
    do {
      // The policy names the operation in its own "gave up" message: say what and where.
      let described = "\(operation) of \(path.map { "\"\($0)\"" } ?? "bucket \"\(location.bucket)\"")"
      return try await retry.execute(described) { _ in
        var request = build()
        try signer.sign(&request, at: Date())
        return try await transport.execute(request, timeout: timeout)
      }
    } catch {
      throw ObjectStoreErrors.transport(error, operation: operation, path: path, location: location)
    }
  }

  /// Sends and requires a 2xx answer.
  func require(
    _ operation: String, path: String?, _ build: @escaping @Sendable () -> HTTPRequest
  ) async throws -> HTTPResponse {
    let response = try await perform(operation, path: path, build)
    guard (200..<300).contains(response.status) else { throw failure(response, operation, path: path) }
    return response
  }

  func failure(_ response: HTTPResponse, _ operation: String, path: String?) -> GooseFSError {
    let body = response.body.getBytes(at: response.body.readerIndex, length: min(response.body.readableBytes, 64 << 10)) ?? []
    let error = ObjectStoreErrors.map(
      status: response.status, body: body, operation: operation, path: path, location: location)
    logger.debug(
      "object store request failed",
      metadata: ["operation": "\(operation)", "status": "\(response.status)", "code": "\(error.code)"])
    return error
  }

  // MARK: - Objects

  /// nil when there is no object with exactly this key.
  func head(_ key: String) async throws -> ObjectHead? {
    let builder = self.builder
    let response = try await perform("HEAD", path: display(key)) { builder.request("HEAD", key: key) }
    if response.status == 404 { return nil }
    guard (200..<300).contains(response.status) else { throw failure(response, "HEAD", path: display(key)) }
    return ObjectHead(response.head)
  }

  /// Bytes `[offset, offset + length)`; `etag` (when given) makes the read fail with
  /// `.failedPrecondition` if the object was replaced since it was opened.
  func getRange(_ key: String, offset: Int64, length: Int, etag: String?) async throws -> ByteBuffer {
    let builder = self.builder
    let path = display(key)
    let response = try await perform("GET", path: path) {
      var headers = [("Range", "bytes=\(offset)-\(offset + Int64(length) - 1)")]
      if let etag { headers.append(("If-Match", "\"\(etag)\"")) }
      return builder.request("GET", key: key, headers: headers)
    }
    if response.status == 416 { return ByteBuffer() }
    guard response.status == 206 || response.status == 200 else { throw failure(response, "GET", path: path) }
    var body = response.body
    if response.status == 200, offset > 0 {
      // A server that ignores Range sends the whole object: cut out what was asked for.
      body.moveReaderIndex(forwardBy: min(Int(offset), body.readableBytes))
    }
    return body.readSlice(length: min(length, body.readableBytes)) ?? ByteBuffer()
  }

  /// Returns the new object's ETag (unquoted) when the store sent one.
  @discardableResult
  func put(_ key: String, body: ByteBuffer) async throws -> String? {
    let builder = self.builder
    let response = try await require("PUT", path: display(key)) { builder.request("PUT", key: key, body: body) }
    return response.head.header("ETag").map(S3Timestamps.unquotedETag)
  }

  /// Server-side copy within the bucket (objects up to 5 GiB, the single-request copy limit).
  func copy(from source: String, to destination: String) async throws {
    let builder = self.builder
    let response = try await require("COPY", path: display(source)) {
      builder.request("PUT", key: destination, headers: [builder.copySourceHeader(sourceKey: source)])
    }
    // A copy can fail after the 200 status has been sent: the error is then in the body.
    let bytes = response.body.getBytes(at: response.body.readerIndex, length: response.body.readableBytes) ?? []
    if let document = S3ErrorDocument.parse(bytes) {
      throw GooseFSError(
        .unavailable, "Copy of \"\(display(source))\" to \"\(display(destination))\" failed: \(document.code) \(document.message)")
    }
  }

  /// DELETE; S3 answers 204 whether or not the key existed.
  func delete(_ key: String) async throws {
    let builder = self.builder
    let response = try await perform("DELETE", path: display(key)) { builder.request("DELETE", key: key) }
    guard (200..<300).contains(response.status) || response.status == 404 else {
      throw failure(response, "DELETE", path: display(key))
    }
  }

  /// Multi-object delete of at most 1000 keys (the API's limit); fails if any key failed.
  func deleteBatch(_ keys: [String]) async throws {
    precondition(keys.count <= 1000, "DeleteObjects takes at most 1000 keys")
    guard !keys.isEmpty else { return }
    let body = Array(MultipartDocuments.deleteBody(keys).utf8)
    let md5 = ContentMD5.base64(of: body)
    let builder = self.builder
    let response = try await require("DeleteObjects", path: nil) {
      var buffer = ByteBuffer()
      buffer.writeBytes(body)
      return builder.request(
        "POST", key: nil, query: [("delete", "")],
        headers: [("Content-MD5", md5), ("Content-Type", "application/xml")], body: buffer)
    }
    let bytes = response.body.getBytes(at: response.body.readerIndex, length: response.body.readableBytes) ?? []
    let failures = MultipartDocuments.deleteFailures(bytes).filter { $0.code != "NoSuchKey" }
    if let first = failures.first {
      throw GooseFSError(
        first.code == "AccessDenied" ? .permissionDenied : .ioError,
        "Could not delete \(failures.count) of \(keys.count) objects in bucket \"\(location.bucket)\", "
          + "first \"\(display(first.key))\": \(first.code) \(first.message)")
    }
  }

  // MARK: - Listing

  /// One ListObjectsV2 page. `delimiter` "/" gives one directory level; nil lists recursively.
  func listPage(prefix: String, delimiter: String?, maxKeys: Int, continuation: String?) async throws -> ListObjectsPage {
    let builder = self.builder
    var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(maxKeys))]
    if let delimiter { query.append(("delimiter", delimiter)) }
    query.append(("encoding-type", "url"))
    if let continuation { query.append(("continuation-token", continuation)) }
    let frozenQuery = query
    let path = display(prefix)
    let response = try await require("LIST", path: path) { builder.request("GET", key: nil, query: frozenQuery) }
    let bytes = response.body.getBytes(at: response.body.readerIndex, length: response.body.readableBytes) ?? []
    do {
      return try ListObjectsPage.parse(bytes)
    } catch let error as ObjectStoreProtocolError {
      throw ObjectStoreErrors.protocolViolation(error, operation: "LIST \(path)", location: location)
    }
  }

  /// Every key under `prefix` (recursively), page by page.
  func forEachPage(
    prefix: String, delimiter: String?, _ body: (ListObjectsPage) async throws -> Void
  ) async throws {
    var token: String?
    repeat {
      let page = try await listPage(prefix: prefix, delimiter: delimiter, maxKeys: location.tuning.listingLength, continuation: token)
      try await body(page)
      token = page.isTruncated ? page.nextContinuationToken : nil
    } while token != nil
  }

  // MARK: - Multipart upload

  func createMultipartUpload(_ key: String) async throws -> String {
    let builder = self.builder
    let response = try await require("CreateMultipartUpload", path: display(key)) {
      builder.request("POST", key: key, query: [("uploads", "")])
    }
    let bytes = response.body.getBytes(at: response.body.readerIndex, length: response.body.readableBytes) ?? []
    do {
      return try MultipartDocuments.uploadID(bytes)
    } catch let error as ObjectStoreProtocolError {
      throw ObjectStoreErrors.protocolViolation(error, operation: "CreateMultipartUpload", location: location)
    }
  }

  /// Returns the part's ETag exactly as sent (quotes included), as CompleteMultipartUpload wants it.
  func uploadPart(_ key: String, uploadID: String, number: Int, body: ByteBuffer) async throws -> String {
    let builder = self.builder
    let response = try await require("UploadPart", path: display(key)) {
      builder.request(
        "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: body)
    }
    guard let etag = response.head.header("ETag") else {
      throw GooseFSError(.ioError, "UploadPart \(number) of \"\(display(key))\" returned no ETag.")
    }
    return etag
  }

  func completeMultipartUpload(_ key: String, uploadID: String, parts: [(number: Int, etag: String)]) async throws {
    let body = MultipartDocuments.completeBody(parts)
    let builder = self.builder
    let response = try await require("CompleteMultipartUpload", path: display(key)) {
      builder.request(
        "POST", key: key, query: [("uploadId", uploadID)], headers: [("Content-Type", "application/xml")],
        body: ByteBuffer(string: body))
    }
    // S3 may answer 200 and report the failure in the body after a long assembly.
    let bytes = response.body.getBytes(at: response.body.readerIndex, length: response.body.readableBytes) ?? []
    if let document = S3ErrorDocument.parse(bytes) {
      throw GooseFSError(
        .unavailable, "Completing the upload of \"\(display(key))\" failed: \(document.code) \(document.message)")
    }
  }

  /// Copies bytes `start...end` of `source` as part `number` (multipart copy of big objects).
  func uploadPartCopy(
    _ key: String, uploadID: String, number: Int, source: String, start: Int64, end: Int64
  ) async throws -> String {
    let builder = self.builder
    let response = try await require("UploadPartCopy", path: display(source)) {
      builder.request(
        "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
        headers: [
          builder.copySourceHeader(sourceKey: source),
          (builder.headerPrefix + "copy-source-range", "bytes=\(start)-\(end)"),
        ])
    }
    let bytes = response.body.getBytes(at: response.body.readerIndex, length: response.body.readableBytes) ?? []
    guard let root = S3XMLElement.parse(bytes), root.name == "CopyPartResult", let etag = root.value("ETag") else {
      let detail = S3ErrorDocument.parse(bytes).map { "\($0.code) \($0.message)" } ?? "no CopyPartResult"
      throw GooseFSError(.unavailable, "Copying part \(number) of \"\(display(source))\" failed: \(detail)")
    }
    return etag
  }

  func abortMultipartUpload(_ key: String, uploadID: String) async throws {
    let builder = self.builder
    let response = try await perform("AbortMultipartUpload", path: display(key)) {
      builder.request("DELETE", key: key, query: [("uploadId", uploadID)])
    }
    guard (200..<300).contains(response.status) || response.status == 404 else {
      throw failure(response, "AbortMultipartUpload", path: display(key))
    }
  }
}
