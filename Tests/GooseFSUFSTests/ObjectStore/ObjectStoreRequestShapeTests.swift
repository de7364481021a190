import GooseFSCore
@testable import GooseFSUFS
import NIOCore
import Testing

/// What the adapter sends, captured with a recording transport: dialect headers, addressing,
/// signatures, and how error answers become `GooseFSError`s.
@Suite("Object store request shapes")
struct ObjectStoreRequestShapeTests {
  static let cosOptions = [
    "fs.cosn.userinfo.secretId": "AKIDexampleSecretId", "fs.cosn.userinfo.secretKey": "cos-secret-value",
    "fs.cosn.bucket.region": "ap-guangzhou",
  ]

  /// Two quick attempts, so that 5xx answers do not wait through the real backoff.
  static let quickRetries = HTTPRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))

  func adapter(_ uri: String, _ options: [String: String], transport: RecordingTransport) throws -> ObjectStoreUnderFileSystem {
    let location = try ObjectStoreLocation.resolve(uri: UFSURI(uri), options: options, environment: [:])
    return ObjectStoreUnderFileSystem(location: location, transport: transport, retry: Self.quickRetries)
  }

  static let emptyListing = RecordingTransport.response(200, body: "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")

  /// HEAD answers "exists" for keys in `files`, 404 otherwise; listings are empty.
  static func store(files: [String: Int]) -> RecordingTransport {
    RecordingTransport { request in
      let key = String(request.path.drop { $0 == "/" })
      switch request.method {
      case "HEAD":
        guard let size = files[key] else { return RecordingTransport.response(404) }
        return RecordingTransport.response(
          200, headers: [("Content-Length", "\(size)"), ("ETag", "\"e\""), ("Last-Modified", "Wed, 01 May 2024 12:34:56 GMT")])
      case "GET" where request.query.contains { $0.name == "list-type" }:
        return RecordingTransport.response(200, body: "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")
      default:
        return RecordingTransport.response(200, body: "<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>")
      }
    }
  }

  @Test func cosRenameUsesCOSCopySourceAndSignature() async throws {
    let transport = Self.store(files: ["data/a b.txt": 3])
    let ufs = try adapter("cosn://bucket-1250000000/data", Self.cosOptions, transport: transport)
    #expect(try await ufs.rename("cosn://bucket-1250000000/data/a b.txt", to: "cosn://bucket-1250000000/data/c.txt"))

    let copy = try #require(transport.recorded.first { $0.method == "PUT" })
    #expect(copy.host == "bucket-1250000000.cos.ap-guangzhou.myqcloud.com")
    #expect(copy.scheme == "https")
    #expect(copy.path == "/data/c.txt")
    #expect(copy.header("x-cos-copy-source") == "bucket-1250000000.cos.ap-guangzhou.myqcloud.com/data/a%20b.txt")
    #expect(copy.header("x-amz-copy-source") == nil)
    let authorization = try #require(copy.header("Authorization"))
    #expect(authorization.hasPrefix("q-sign-algorithm=sha1&q-ak=AKIDexampleSecretId&q-sign-time="))
    #expect(authorization.contains("&q-header-list=") && authorization.contains("x-cos-copy-source"))
    #expect(authorization.contains("&q-signature="))
    #expect(!authorization.contains("cos-secret-value"))
    let delete = try #require(transport.recorded.last)
    #expect(delete.method == "DELETE")
    #expect(delete.path == "/data/a b.txt")
  }

  @Test func s3RenameUsesAmzCopySourceAndSigV4() async throws {
    let transport = Self.store(files: ["bucket/k/a+b": 3])  // path style: the bucket leads the path
    let ufs = try adapter(
      "s3://bucket/k",
      ["s3a.accessKeyId": "AKIAEXAMPLE", "s3a.secretKey": "s3-secret", "goosefs.underfs.s3.endpoint": "http://127.0.0.1:9"],
      transport: transport)
    #expect(try await ufs.rename("s3://bucket/k/a+b", to: "s3://bucket/k/c"))
    let copy = try #require(transport.recorded.first { $0.method == "PUT" })
    #expect(copy.path == "/bucket/k/c")  // path style for a full-URL endpoint
    #expect(copy.host == "127.0.0.1")
    #expect(copy.port == 9)
    #expect(copy.header("x-amz-copy-source") == "/bucket/k/a%2Bb")
    #expect(copy.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/") == true)
    #expect(copy.header("x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
  }

  @Test func listingRequestShape() async throws {
    let transport = Self.store(files: [:])
    let ufs = try adapter("cosn://bucket-1250000000/", Self.cosOptions, transport: transport)
    _ = try await ufs.list("cosn://bucket-1250000000/dir")
    let list = try #require(transport.recorded.first)
    #expect(list.method == "GET")
    #expect(list.path == "/")
    let query = Dictionary(uniqueKeysWithValues: list.query.map { ($0.name, $0.value) })
    #expect(query == ["list-type": "2", "prefix": "dir/", "delimiter": "/", "max-keys": "1000", "encoding-type": "url"])
  }

  @Test func recursiveDeleteBatchesAThousandKeysWithContentMD5() async throws {
    let keys = (0..<2500).map { "d/k\($0)" }
    let transport = RecordingTransport { request in
      if request.method == "GET" {
        let token = request.query.first { $0.name == "continuation-token" }.map { Int($0.value)! } ?? 0
        let page = keys[token..<min(token + 1000, keys.count)]
        let more = token + 1000 < keys.count
        let contents = page.map { "<Contents><Key>\($0)</Key><Size>1</Size></Contents>" }.joined()
        return RecordingTransport.response(
          200,
          body: "<ListBucketResult><IsTruncated>\(more)</IsTruncated>"
            + (more ? "<NextContinuationToken>\(token + 1000)</NextContinuationToken>" : "") + "\(contents)</ListBucketResult>")
      }
      return RecordingTransport.response(200, body: "<DeleteResult/>")
    }
    let ufs = try adapter("s3://b/", ["s3a.accessKeyId": "id", "s3a.secretKey": "secret"], transport: transport)
    #expect(try await ufs.deleteDirectory("s3://b/d", recursive: true))
    let posts = transport.recorded.filter { $0.method == "POST" }
    #expect(posts.count == 3)
    var deleted = 0
    for post in posts {
      #expect(post.query.map(\.name) == ["delete"])
      let body = Array(post.body!.readableBytesView)
      #expect(post.header("Content-MD5") == ContentMD5.base64(of: body))
      deleted += String(decoding: body, as: UTF8.self).components(separatedBy: "<Object>").count - 1
    }
    #expect(deleted == 2500)
  }

  @Test func multipartUploadRequestShapes() async throws {
    let transport = RecordingTransport { request in
      if request.query.contains(where: { $0.name == "list-type" }) { return Self.emptyListing }
      if request.query.contains(where: { $0.name == "uploads" }) {
        return RecordingTransport.response(200, body: "<InitiateMultipartUploadResult><UploadId>U1</UploadId></InitiateMultipartUploadResult>")
      }
      if let part = request.query.first(where: { $0.name == "partNumber" }) {
        return RecordingTransport.response(200, headers: [("ETag", "\"etag-\(part.value)\"")])
      }
      return RecordingTransport.response(200, body: "<CompleteMultipartUploadResult/>")
    }
    let ufs = try adapter("cosn://b-1250000000/", Self.cosOptions, transport: transport)
    let stream = try await ufs.create("cosn://b-1250000000/big", mode: 0o644, createParents: true)
    // 8 MiB parts (fs.cosn.upload.part.size default): 20 MiB is 8 + 8 + 4.
    let chunk = ByteBuffer(repeating: 7, count: 1 << 20)
    for _ in 0..<20 { try await stream.write(chunk) }
    try await stream.close()
    let parts = transport.recorded.filter { $0.query.contains { $0.name == "partNumber" } }
    #expect(parts.map { $0.body?.readableBytes } == [8 << 20, 8 << 20, 4 << 20])
    #expect(parts.map { $0.query.first { $0.name == "uploadId" }?.value } == ["U1", "U1", "U1"])
    let complete = try #require(transport.recorded.last)
    #expect(complete.method == "POST")
    #expect(complete.query.map(\.name) == ["uploadId"])
    let body = String(buffer: complete.body!)
    #expect(body.contains("<PartNumber>3</PartNumber><ETag>&quot;etag-3&quot;</ETag>"))
  }

  @Test func failedPartAbortsTheUpload() async throws {
    let transport = RecordingTransport { request in
      if request.query.contains(where: { $0.name == "list-type" }) { return Self.emptyListing }
      if request.query.contains(where: { $0.name == "uploads" }) {
        return RecordingTransport.response(200, body: "<InitiateMultipartUploadResult><UploadId>U9</UploadId></InitiateMultipartUploadResult>")
      }
      if request.query.contains(where: { $0.name == "partNumber" && $0.value == "2" }) {
        return RecordingTransport.error(403, code: "AccessDenied")
      }
      return RecordingTransport.response(200, headers: [("ETag", "\"e\"")])
    }
    let ufs = try adapter("cosn://b-1250000000/", Self.cosOptions, transport: transport)
    let stream = try await ufs.create("cosn://b-1250000000/big", mode: 0o644, createParents: true)
    let part = ByteBuffer(repeating: 1, count: 8 << 20)
    await expectGooseFSError(.permissionDenied) {
      for _ in 0..<4 { try await stream.write(part) }
      try await stream.close()
    }
    #expect(transport.recorded.contains { $0.method == "DELETE" && $0.query.contains { $0.name == "uploadId" && $0.value == "U9" } })
    await expectGooseFSError(.failedPrecondition) { try await stream.write(part) }
  }

  struct ErrorCase: Sendable, CustomStringConvertible {
    var status: Int
    var code: String
    var expected: GooseFSError.Code
    var mustContain: [String]
    var description: String { "\(status) \(code)" }
  }

  static let errorCases: [ErrorCase] = [
    .init(status: 403, code: "SignatureDoesNotMatch", expected: .permissionDenied,
      mustContain: ["Access denied to bucket \"bucket-1250000000\"", "SignatureDoesNotMatch", "fs.cosn.userinfo.secretId/fs.cosn.userinfo.secretKey"]),
    .init(status: 403, code: "InvalidAccessKeyId", expected: .permissionDenied, mustContain: ["bucket-1250000000"]),
    .init(status: 403, code: "", expected: .permissionDenied, mustContain: ["HTTP 403"]),
    .init(status: 404, code: "NoSuchBucket", expected: .notFound, mustContain: ["Bucket \"bucket-1250000000\" does not exist"]),
    .init(status: 503, code: "SlowDown", expected: .unavailable, mustContain: ["throttling"]),
    .init(status: 500, code: "InternalError", expected: .unavailable, mustContain: ["InternalError"]),
    .init(status: 400, code: "InvalidArgument", expected: .ioError, mustContain: ["InvalidArgument"]),
  ]

  @Test(arguments: errorCases)
  func errorAnswersMapToCodesWithoutSecrets(_ testCase: ErrorCase) async throws {
    let transport = RecordingTransport { _ in
      testCase.code.isEmpty ? RecordingTransport.response(testCase.status) : RecordingTransport.error(testCase.status, code: testCase.code)
    }
    let ufs = try adapter("cosn://bucket-1250000000/", Self.cosOptions, transport: transport)
    let error = await expectGooseFSError(testCase.expected) { try await ufs.list("cosn://bucket-1250000000/x") }
    for text in testCase.mustContain { #expect(error?.message.contains(text) == true, "\(error?.message ?? "")") }
    #expect(error?.message.contains("cos-secret-value") == false)
    #expect(error?.message.contains("AKIDexampleSecretId") == false)
  }

  @Test func transportFailuresAreUnavailable() async throws {
    struct Failing: HTTPTransport {
      func execute(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        throw HTTPTransportError(.tlsFailure, "certificate verify failed")
      }
      func stream(
        _ request: HTTPRequest, idleTimeout: Duration, onHead: @escaping @Sendable (HTTPResponseHead) async throws -> Void,
        onBody: @escaping @Sendable (ByteBuffer) async throws -> Void
      ) async throws { throw HTTPTransportError(.connectFailed, "connection refused") }
    }
    let location = try ObjectStoreLocation.resolve(uri: UFSURI("cosn://bucket-1250000000/"), options: Self.cosOptions, environment: [:])
    // A failure no retry can fix surfaces at once, naming the endpoint.
    let ufs = ObjectStoreUnderFileSystem(location: location, transport: Failing(), retry: Self.quickRetries)
    let error = await expectGooseFSError(.unavailable) { try await ufs.status("cosn://bucket-1250000000/x") }
    #expect(error?.message.contains("bucket-1250000000.cos.ap-guangzhou.myqcloud.com") == true)
  }
}
