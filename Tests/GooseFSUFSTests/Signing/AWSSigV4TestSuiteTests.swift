import Foundation
import GooseFSUFS
import NIOCore
import Testing

/// Cases of AWS's aws-sig-v4-test-suite (service "service", us-east-1, 2015-08-30T12:36:00Z, key
/// AKIDEXAMPLE) that hold for S3's single path encoding. The suite's requests carry only Host and
/// X-Amz-Date (no x-amz-content-sha256), so these go through the exposed steps rather than
/// `sign`, which always adds x-amz-content-sha256.
@Suite struct AWSSigV4TestSuiteTests {
  static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z

  static func signer(sessionToken: String? = nil) -> AWSSigV4Signer {
    AWSSigV4Signer(
      credentials: AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: sessionToken),
      region: "us-east-1", service: "service")
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var method = "GET"
    var path = "/"
    var query: [QueryItem] = []
    var extraHeaders: [QueryItem] = []
    var body = ""
    var canonicalURI: String? = nil
    var signedHeaders = "host;x-amz-date"
    var signature: String
    var testDescription: String { name }
  }

  struct QueryItem: Sendable {
    var name: String
    var value: String
  }

  static let cases: [Case] = [
    Case(name: "get-vanilla", signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    Case(
      name: "get-vanilla-query-order-key-case",
      query: [QueryItem(name: "Param2", value: "value2"), QueryItem(name: "Param1", value: "value1")],
      signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    Case(name: "post-vanilla", method: "POST", signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    Case(
      name: "get-space", path: "/example space/", canonicalURI: "/example%20space/",
      signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
    Case(
      name: "get-utf8", path: "/\u{1234}", canonicalURI: "/%E1%88%B4",
      signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
    Case(
      name: "post-x-www-form-urlencoded", method: "POST",
      extraHeaders: [QueryItem(name: "Content-Type", value: "application/x-www-form-urlencoded")],
      body: "Param1=value1", signedHeaders: "content-type;host;x-amz-date",
      signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
  ]

  @Test(arguments: cases)
  func suiteCase(_ testCase: Case) {
    let signer = Self.signer()
    var request = HTTPRequest(
      method: testCase.method, scheme: "https", host: "example.amazonaws.com", path: testCase.path,
      query: testCase.query.map { ($0.name, $0.value) },
      headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
      body: testCase.body.isEmpty ? nil : ByteBuffer(string: testCase.body))
    for header in testCase.extraHeaders { request.headers.append((header.name, header.value)) }

    let canonical = signer.canonicalRequest(request)
    let lines = canonical.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[1] == (testCase.canonicalURI ?? testCase.path)[...])
    #expect(lines[lines.count - 2] == testCase.signedHeaders[...])
    #expect(lines.last == Digest.hex(Digest.sha256(testCase.body))[...])
    #expect(signer.signedHeaders(request) == testCase.signedHeaders)
    let signature = signer.signature(stringToSign: signer.stringToSign(canonicalRequest: canonical, at: Self.date), at: Self.date)
    #expect(signature == testCase.signature)
  }

  @Test func getVanillaIntermediateValues() {
    let signer = Self.signer()
    let request = HTTPRequest(
      method: "GET", scheme: "https", host: "example.amazonaws.com", path: "/",
      headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")])
    let canonical = signer.canonicalRequest(request)
    #expect(
      canonical == """
        GET
        /

        host:example.amazonaws.com
        x-amz-date:20150830T123600Z

        host;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """)
    #expect(
      signer.stringToSign(canonicalRequest: canonical, at: Self.date) == """
        AWS4-HMAC-SHA256
        20150830T123600Z
        20150830/us-east-1/service/aws4_request
        bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
        """)
    #expect(signer.credentialScope(at: Self.date) == "20150830/us-east-1/service/aws4_request")
  }

  @Test func getVanillaWithSessionToken() {
    let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    let signer = Self.signer(sessionToken: token)
    let request = HTTPRequest(
      method: "GET", scheme: "https", host: "example.amazonaws.com", path: "/",
      headers: [
        ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"), ("X-Amz-Security-Token", token),
      ])
    let canonical = signer.canonicalRequest(request)
    #expect(signer.signedHeaders(request) == "host;x-amz-date;x-amz-security-token")
    #expect(
      signer.signature(stringToSign: signer.stringToSign(canonicalRequest: canonical, at: Self.date), at: Self.date)
        == "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
  }
}
