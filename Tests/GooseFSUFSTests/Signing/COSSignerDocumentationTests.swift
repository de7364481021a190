import Foundation
import GooseFSCore
import GooseFSUFS
import Testing

/// The worked examples of Tencent COS's "Request Signature" page (XML API): APPID 1250000000,
/// SecretId AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q, SecretKey BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz.
@Suite struct COSSignerDocumentationTests {
  static let signer = COSSigner(
    credentials: COSCredentials(secretID: TencentSample.secretID, secretKey: TencentSample.secretKeyValue))
  static let host = "examplebucket-1250000000.cos.ap-beijing.myqcloud.com"

  @Test func uploadExample() {
    let request = HTTPRequest(
      method: "PUT", scheme: "https", host: Self.host, path: "/exampleobject(腾讯云)",
      headers: [
        ("Date", "Thu, 16 May 2019 06:45:51 GMT"), ("Host", Self.host), ("Content-Type", "text/plain"),
        ("Content-Length", "13"), ("Content-MD5", "mQ/fVh815F3k6TAUm8m0eg=="), ("x-cos-acl", "private"),
        ("x-cos-grant-read", "uin=\"100000000011\""),
      ])
    let keyTime = "1557989151;1557996351"
    #expect(Self.signer.signKey(keyTime: keyTime) == "eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f")
    #expect(Self.signer.urlParameterList(request) == "")
    #expect(Self.signer.headerList(request) == "content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read")
    let httpString = Self.signer.formatString(request)
    #expect(
      httpString
        == "put\n/exampleobject(腾讯云)\n\n"
        + "content-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=text%2Fplain"
        + "&date=Thu%2C%2016%20May%202019%2006%3A45%3A51%20GMT&host=\(Self.host)"
        + "&x-cos-acl=private&x-cos-grant-read=uin%3D%22100000000011%22\n")
    let stringToSign = COSSigner.stringToSign(httpString: httpString, keyTime: keyTime)
    #expect(stringToSign == "sha1\n1557989151;1557996351\n8b2751e77f43a0995d6e9eb9477f4b685cca4172\n")
    #expect(Self.signer.signature(stringToSign: stringToSign, keyTime: keyTime) == "3b8851a11a569213c17ba8fa7dcf2abec6935172")
    #expect(
      Self.signer.authorization(for: request, keyTime: keyTime)
        == "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989151;1557996351"
        + "&q-key-time=1557989151;1557996351"
        + "&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read"
        + "&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172")
  }

  @Test func downloadExample() {
    let request = HTTPRequest(
      method: "GET", scheme: "https", host: Self.host, path: "/exampleobject(腾讯云)",
      query: [("response-content-type", "application/octet-stream"), ("response-cache-control", "max-age=600")],
      headers: [("Date", "Thu, 16 May 2019 06:55:53 GMT"), ("Host", Self.host)])
    let keyTime = "1557989753;1557996953"
    #expect(Self.signer.signKey(keyTime: keyTime) == "937914bf490e9e8c189836aad2052e4feeb35eaf")
    let httpString = Self.signer.formatString(request)
    #expect(
      httpString
        == "get\n/exampleobject(腾讯云)\n"
        + "response-cache-control=max-age%3D600&response-content-type=application%2Foctet-stream\n"
        + "date=Thu%2C%2016%20May%202019%2006%3A55%3A53%20GMT&host=\(Self.host)\n")
    #expect(
      COSSigner.stringToSign(httpString: httpString, keyTime: keyTime)
        == "sha1\n1557989753;1557996953\n54ecfe22f59d3514fdc764b87a32d8133ea611e6\n")
    #expect(
      Self.signer.authorization(for: request, keyTime: keyTime)
        == "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989753;1557996953"
        + "&q-key-time=1557989753;1557996953&q-header-list=date;host"
        + "&q-url-param-list=response-cache-control;response-content-type"
        + "&q-signature=01681b8c9d798a678e43b685a9f1bba0f6c0e012")
  }

  @Test func listParametersExample() {
    // The page's UrlParamList example: /?prefix=example-folder%2F&delimiter=%2F&max-keys=10.
    let request = HTTPRequest(
      method: "GET", scheme: "https", host: Self.host, path: "/",
      query: [("prefix", "example-folder/"), ("delimiter", "/"), ("max-keys", "10")])
    #expect(Self.signer.urlParameterList(request) == "delimiter;max-keys;prefix")
    #expect(Self.signer.formatString(request).hasPrefix("get\n/\ndelimiter=%2F&max-keys=10&prefix=example-folder%2F\n"))
    // And "/exampleobject?acl" as "acl=".
    let acl = HTTPRequest(method: "GET", scheme: "https", host: Self.host, path: "/exampleobject", query: [("acl", "")])
    #expect(Self.signer.formatString(acl) == "get\n/exampleobject\nacl=\n\n")
  }
}

/// What `sign` does to a request.
@Suite struct COSSignerBehaviourTests {
  static let credentials = COSCredentials(secretID: TencentSample.secretID, secretKey: TencentSample.secretKeyValue)

  @Test func signSetsHostAndAKeyTimeWithSkewAllowance() throws {
    let signer = COSSigner(credentials: Self.credentials, validity: .seconds(600))
    var request = HTTPRequest(
      method: "GET", scheme: "https", host: "b-1250000000.cos.ap-guangzhou.myqcloud.com", path: "/k",
      headers: [("User-Agent", "goosefs"), ("Accept", "*/*"), ("Range", "bytes=0-1")])
    try signer.sign(&request, at: Date(timeIntervalSince1970: 1_557_989_151.7))
    let authorization = try #require(request.header("Authorization"))
    #expect(request.header("host") == "b-1250000000.cos.ap-guangzhou.myqcloud.com")
    #expect(authorization.contains("&q-sign-time=1557989091;1557989751&q-key-time=1557989091;1557989751&"))
    #expect(authorization.contains("&q-header-list=host;range&q-url-param-list=&"))
    #expect(authorization == signer.authorization(for: request, keyTime: "1557989091;1557989751"))

    // Signing again replaces the header.
    try signer.sign(&request, at: Date(timeIntervalSince1970: 1_557_989_200))
    #expect(request.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
  }

  @Test func temporaryKeysSendTheTokenSigned() throws {
    var credentials = Self.credentials
    credentials.sessionToken = "session-token"
    let signer = COSSigner(credentials: credentials)
    var request = HTTPRequest(method: "HEAD", scheme: "https", host: "h", path: "/k")
    try signer.sign(&request, at: Date(timeIntervalSince1970: 1_557_989_151))
    #expect(request.header("x-cos-security-token") == "session-token")
    #expect(request.header("authorization")?.contains("q-header-list=host;x-cos-security-token&") == true)
  }

  @Test func keysAreEncodedThenLowerCased() {
    let signer = COSSigner(credentials: Self.credentials)
    let request = HTTPRequest(
      method: "GET", scheme: "https", host: "h", path: "/",
      query: [("versionId", "MTg0NDUx/Nzg0"), ("a/B", "x y")], headers: [("X-COS-Meta-Author", "Zhang San")])
    #expect(signer.urlParameterList(request) == "a%2fb;versionid")
    #expect(signer.formatString(request) == "get\n/\na%2fb=x%20y&versionid=MTg0NDUx%2FNzg0\nx-cos-meta-author=Zhang%20San\n")
  }

  @Test func refusesWhatCannotBeSigned() {
    var request = HTTPRequest(method: "GET", scheme: "https", host: "h", path: "/")
    let noKey = COSSigner(credentials: COSCredentials(secretID: "id", secretKey: ""))
    #expect(throws: GooseFSError.self) { try noKey.sign(&request, at: Date()) }
    let noValidity = COSSigner(credentials: Self.credentials, validity: .zero)
    #expect(throws: GooseFSError.self) { try noValidity.sign(&request, at: Date()) }
    var injected = HTTPRequest(method: "GET", scheme: "https", host: "h", path: "/", headers: [("x-cos-meta-a", "1\nb")])
    #expect(throws: GooseFSError.self) { try COSSigner(credentials: Self.credentials).sign(&injected, at: Date()) }
  }
}

/// The key pair printed in Tencent's COS signature documentation: published example values, not a
/// credential of anyone's.
enum TencentSample {
  static let secretID = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"
  static let secretKeyValue = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"
}
