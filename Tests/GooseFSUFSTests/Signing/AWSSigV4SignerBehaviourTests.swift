import Foundation
import GooseFSCore
import GooseFSUFS
import NIOCore
import Testing

/// What `sign` does to a request beyond the published vectors.
@Suite struct AWSSigV4SignerBehaviourTests {
  static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
  static let date = Date(timeIntervalSince1970: 1_440_938_160)

  private func names(_ request: HTTPRequest) -> [String] { request.headers.map { $0.name.lowercased() } }

  @Test func signingTwiceReplacesRatherThanDuplicates() throws {
    let signer = AWSSigV4Signer(credentials: Self.credentials, region: "us-east-1")
    var request = HTTPRequest(method: "GET", scheme: "https", host: "b.s3.amazonaws.com", path: "/k")
    try signer.sign(&request, at: Self.date)
    let first = request
    try signer.sign(&request, at: Self.date)
    #expect(request.headers.count == first.headers.count)
    #expect(request.header("authorization") == first.header("authorization"))
    // A later instant gives a fresh date and signature.
    try signer.sign(&request, at: Self.date.addingTimeInterval(1))
    #expect(request.header("x-amz-date") == "20150830T123601Z")
    #expect(request.header("authorization") != first.header("authorization"))
    #expect(names(request).filter { $0 == "authorization" }.count == 1)
  }

  @Test func unsignedPayloadIsDeclaredAndSigned() throws {
    let signer = AWSSigV4Signer(credentials: Self.credentials, region: "us-east-1", payloadSigning: .unsigned)
    var request = HTTPRequest(
      method: "PUT", scheme: "https", host: "b.s3.amazonaws.com", path: "/k", body: ByteBuffer(string: "data"))
    try signer.sign(&request, at: Self.date)
    #expect(request.header("x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
    #expect(signer.canonicalRequest(request).hasSuffix("\nUNSIGNED-PAYLOAD"))
    #expect(signer.signedHeaders(request) == "host;x-amz-content-sha256;x-amz-date")
  }

  @Test func sessionTokenIsSentAndSigned() throws {
    var credentials = Self.credentials
    credentials.sessionToken = "token/with+chars="
    let signer = AWSSigV4Signer(credentials: credentials, region: "eu-west-1")
    var request = HTTPRequest(method: "GET", scheme: "https", host: "b.s3.amazonaws.com", path: "/")
    try signer.sign(&request, at: Self.date)
    #expect(request.header("x-amz-security-token") == "token/with+chars=")
    #expect(signer.signedHeaders(request) == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
    #expect(request.header("authorization")?.contains("/20150830/eu-west-1/s3/aws4_request,") == true)
  }

  @Test func hostHeaderCarriesANonDefaultPortAndAnExistingOneIsKept() throws {
    let signer = AWSSigV4Signer(credentials: Self.credentials, region: "us-east-1")
    var request = HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: 9000, path: "/bucket/key")
    try signer.sign(&request, at: Self.date)
    #expect(request.header("host") == "127.0.0.1:9000")
    #expect(signer.canonicalRequest(request).contains("\nhost:127.0.0.1:9000\n"))

    var explicit = HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: 9000, path: "/", headers: [("Host", "alias")])
    try signer.sign(&explicit, at: Self.date)
    #expect(explicit.header("host") == "alias")
  }

  @Test func headerValuesAreTrimmedAndRepeatedHeadersJoined() {
    let signer = AWSSigV4Signer(credentials: Self.credentials, region: "us-east-1")
    let request = HTTPRequest(
      method: "GET", scheme: "https", host: "h", path: "/",
      headers: [
        ("Host", "h"), ("My-Header1", "  value1  "), ("my-header2", "\"a   b   c\""), ("X-Multi", "two"),
        ("x-multi", " one "),
      ])
    #expect(
      signer.canonicalRequest(request, payloadHash: "p") == """
        GET
        /

        host:h
        my-header1:value1
        my-header2:"a b c"
        x-multi:two,one

        host;my-header1;my-header2;x-multi
        p
        """)
  }

  @Test func hopByHopAndClientHeadersAreNotSigned() throws {
    let signer = AWSSigV4Signer(credentials: Self.credentials, region: "us-east-1")
    var request = HTTPRequest(
      method: "PUT", scheme: "https", host: "h", path: "/k",
      headers: [
        ("User-Agent", "goosefs"), ("Expect", "100-continue"), ("Connection", "keep-alive"),
        ("Transfer-Encoding", "chunked"), ("Content-Type", "text/plain"), ("Authorization", "stale"),
      ])
    try signer.sign(&request, at: Self.date)
    #expect(signer.signedHeaders(request) == "content-type;host;x-amz-content-sha256;x-amz-date")
    #expect(request.header("authorization")?.hasPrefix("AWS4-HMAC-SHA256 ") == true)
  }

  @Test func queryNamesAndValuesAreEncodedAndSortedByNameThenValue() {
    let signer = AWSSigV4Signer(credentials: Self.credentials, region: "us-east-1")
    let request = HTTPRequest(
      method: "GET", scheme: "https", host: "h", path: "/a b/c+d/é",
      query: [("prefix", "dir/sub dir/"), ("b", "2"), ("a", "z"), ("a", "y"), ("uploads", ""), ("a~", "*")],
      headers: [("Host", "h")])
    let lines = signer.canonicalRequest(request, payloadHash: "p").split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[1] == "/a%20b/c%2Bd/%C3%A9")
    #expect(lines[2] == "a=y&a=z&a~=%2A&b=2&prefix=dir%2Fsub%20dir%2F&uploads=")
  }

  @Test func refusesWhatCannotBeSigned() {
    let signer = AWSSigV4Signer(credentials: Self.credentials, region: "us-east-1")
    var injected = HTTPRequest(method: "GET", scheme: "https", host: "h", path: "/", headers: [("x-amz-meta-a", "1\r\nEvil: 2")])
    let error = #expect(throws: GooseFSError.self) { try signer.sign(&injected, at: Self.date) }
    #expect(error?.code == .invalidArgument)

    let anonymous = AWSSigV4Signer(credentials: AWSCredentials(accessKeyID: "", secretAccessKey: ""), region: "us-east-1")
    var request = HTTPRequest(method: "GET", scheme: "https", host: "h", path: "/")
    #expect(throws: GooseFSError.self) { try anonymous.sign(&request, at: Self.date) }
    #expect(request.header("authorization") == nil)
  }
}
