import Foundation
import GooseFSUFS
import NIOCore
import Testing

/// The worked examples of the Amazon S3 API Reference, "Signature Calculations for the
/// Authorization Header: Transferring Payload in a Single Chunk (AWS Signature Version 4)":
/// bucket `examplebucket`, us-east-1, 2013-05-24T00:00:00Z, the documentation's example key.
@Suite struct AWSSigV4DocumentationTests {
  static let signer = AWSSigV4Signer(
    credentials: AWSCredentials(
      accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    region: "us-east-1"
  )
  static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z
  static let credential = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"

  private func request(
    _ method: String, _ path: String, query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], body: String? = nil
  ) -> HTTPRequest {
    HTTPRequest(
      method: method, scheme: "https", host: "examplebucket.s3.amazonaws.com", path: path, query: query,
      headers: headers, body: body.map { ByteBuffer(string: $0) })
  }

  @Test func getObjectWithRange() throws {
    var request = request("GET", "/test.txt", headers: [("Range", "bytes=0-9")])
    try Self.signer.sign(&request, at: Self.date)

    // The intermediate values the page prints.
    let canonical = Self.signer.canonicalRequest(request)
    #expect(
      canonical == """
        GET
        /test.txt

        host:examplebucket.s3.amazonaws.com
        range:bytes=0-9
        x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        x-amz-date:20130524T000000Z

        host;range;x-amz-content-sha256;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """)
    let stringToSign = Self.signer.stringToSign(canonicalRequest: canonical, at: Self.date)
    #expect(
      stringToSign == """
        AWS4-HMAC-SHA256
        20130524T000000Z
        20130524/us-east-1/s3/aws4_request
        7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
        """)
    #expect(
      Self.signer.signature(stringToSign: stringToSign, at: Self.date)
        == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")

    // And what sign() left on the request.
    #expect(request.header("Host") == "examplebucket.s3.amazonaws.com")
    #expect(request.header("x-amz-date") == "20130524T000000Z")
    #expect(request.header("x-amz-content-sha256") == Digest.emptySHA256Hex)
    #expect(
      request.header("Authorization")
        == "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
  }

  @Test func putObject() throws {
    // PUT test$file.text with a Date header, a storage class and the body "Welcome to Amazon S3.".
    var request = request(
      "PUT", "/test$file.text",
      headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
      body: "Welcome to Amazon S3.")
    try Self.signer.sign(&request, at: Self.date)
    #expect(
      request.header("x-amz-content-sha256") == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    #expect(Self.signer.canonicalRequest(request).hasPrefix("PUT\n/test%24file.text\n\n"))
    #expect(
      request.header("Authorization")
        == "AWS4-HMAC-SHA256 Credential=\(Self.credential), "
        + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
        + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
  }

  @Test func getBucketLifecycle() throws {
    // GET ?lifecycle: a parameter without a value is canonicalised as "lifecycle=".
    var request = request("GET", "/", query: [("lifecycle", "")])
    try Self.signer.sign(&request, at: Self.date)
    #expect(Self.signer.canonicalRequest(request).hasPrefix("GET\n/\nlifecycle=\n"))
    #expect(
      request.header("Authorization")
        == "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        + "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
  }

  @Test func listObjects() throws {
    // GET ?max-keys=2&prefix=J, given here out of order: the canonical query sorts it.
    var request = request("GET", "/", query: [("prefix", "J"), ("max-keys", "2")])
    try Self.signer.sign(&request, at: Self.date)
    #expect(Self.signer.canonicalRequest(request).hasPrefix("GET\n/\nmax-keys=2&prefix=J\n"))
    #expect(
      request.header("Authorization")
        == "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
  }

  @Test func aDifferentSecretGivesADifferentSignature() throws {
    // Control: the vectors above would not pass a signer that ignored the key.
    let other = AWSSigV4Signer(
      credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "another secret"),
      region: "us-east-1")
    var request = request("GET", "/test.txt", headers: [("Range", "bytes=0-9")])
    try other.sign(&request, at: Self.date)
    #expect(request.header("Authorization")?.contains("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") == false)
  }
}
