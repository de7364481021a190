import Foundation
import GooseFSUFS
import Testing

/// Our COS Authorization against Tencent's Python SDK (`qcloud_cos.cos_auth.CosS3Auth`, PyPI
/// cos-python-sdk-v5) for the same requests at the same instant, byte for byte. The SDK reads
/// the clock itself (start = now − 60 s, end = now + expire), so the script pins `time.time`.
@Suite struct COSSignerSDKTests {
  struct Case: Codable {
    var method: String
    var host: String
    var path: String
    var query: [[String]]
    var headers: [[String]]
    var secretID: String
    var secretKey: String
    var token: String?
    var epoch: Int64
    var validity: Int64
  }

  static let script = #"""
    import json, sys
    from unittest import mock
    from urllib.parse import quote
    try:
        from qcloud_cos import CosConfig
        from qcloud_cos.cos_auth import CosS3Auth
        from requests.structures import CaseInsensitiveDict
    except ImportError as error:
        sys.stderr.write("cannot import qcloud_cos: %s\n" % error)
        sys.exit(3)

    class Request:
        """The three attributes CosS3Auth reads from a requests.PreparedRequest."""
        def __init__(self, method, url, headers):
            self.method, self.url, self.headers = method, url, CaseInsensitiveDict(headers)

    results = []
    for case in json.load(sys.stdin):
        config = CosConfig(Region="ap-guangzhou", SecretId=case["secretID"], SecretKey=case["secretKey"],
                           Token=case.get("token"))
        params = dict((name, value) for name, value in case["query"])
        url = "https://" + case["host"] + quote(case["path"], safe="/")
        headers = [(name, value) for name, value in case["headers"]]
        if case.get("token") is not None:
            headers.append(("x-cos-security-token", case["token"]))  # what CosS3Client adds
        auth = CosS3Auth(config, case["path"], params=params, expire=case["validity"])
        request = Request(case["method"], url, headers)
        with mock.patch("time.time", return_value=float(case["epoch"])):
            auth(request)
        results.append(request.headers["Authorization"])
    json.dump(results, sys.stdout)
    """#

  static let secretID = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"
  static let secretKey = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"
  static let host = "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"

  static let cases: [Case] = [
    // The documentation's upload, without Date (the SDK does not sign Date).
    Case(
      method: "PUT", host: host, path: "/exampleobject(腾讯云)", query: [],
      headers: [
        ["Content-Type", "text/plain"], ["Content-Length", "13"], ["Content-MD5", "mQ/fVh815F3k6TAUm8m0eg=="],
        ["x-cos-acl", "private"], ["x-cos-grant-read", "uin=\"100000000011\""],
      ],
      secretID: secretID, secretKey: secretKey, token: nil, epoch: 1_557_989_211, validity: 7200),
    // Ranged download with response-* overrides; User-Agent and Accept stay unsigned.
    Case(
      method: "GET", host: host, path: "/dir/a file (1).txt",
      query: [["response-content-type", "application/octet-stream"], ["response-cache-control", "max-age=600"]],
      headers: [["Range", "bytes=0-1023"], ["User-Agent", "goosefs-swift"], ["Accept", "*/*"]],
      secretID: secretID, secretKey: secretKey, token: nil, epoch: 1_700_000_000, validity: 3600),
    // Listing with a unicode prefix.
    Case(
      method: "GET", host: host, path: "/",
      query: [["prefix", "目录/子目录 x/"], ["delimiter", "/"], ["max-keys", "1000"], ["encoding-type", "url"], ["marker", "a+b=c&d"]],
      headers: [],
      secretID: secretID, secretKey: secretKey, token: nil, epoch: 1_700_000_100, validity: 600),
    // Upload with user metadata in mixed case and punctuation in the key.
    Case(
      method: "PUT", host: host, path: "/odd/+=&~!'()*$@,;:/ü.bin", query: [],
      headers: [
        ["Content-Type", "application/octet-stream"], ["Content-Length", "4"], ["X-COS-Meta-Author", "Zhang San"],
        ["x-cos-storage-class", "STANDARD_IA"], ["Cache-Control", "no-cache"],
      ],
      secretID: secretID, secretKey: secretKey, token: nil, epoch: 1_700_000_200, validity: 3600),
    // Temporary keys, conditional HEAD.
    Case(
      method: "HEAD", host: host, path: "/k", query: [], headers: [["If-None-Match", "\"etag\""]],
      secretID: "AKIDtemporary0000000000000000000000", secretKey: "temporary-secret-key",
      token: "token+with/chars=", epoch: 1_700_000_300, validity: 900),
    // Multipart: ?uploads (no value), then a part, then a batch delete.
    Case(
      method: "POST", host: host, path: "/big object", query: [["uploads", ""]], headers: [],
      secretID: secretID, secretKey: secretKey, token: nil, epoch: 1_700_000_400, validity: 3600),
    Case(
      method: "PUT", host: host, path: "/big object", query: [["partNumber", "2"], ["uploadId", "1585130821cbb7df1d11846c073ad648e8f33b087cec2381df437acdc833cf654b9ecc6361"]],
      headers: [["Content-Length", "5242880"]],
      secretID: secretID, secretKey: secretKey, token: nil, epoch: 1_700_000_500, validity: 3600),
    Case(
      method: "POST", host: host, path: "/", query: [["delete", ""]],
      headers: [["Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="], ["Content-Type", "application/xml"]],
      secretID: secretID, secretKey: secretKey, token: nil, epoch: 1_700_000_600, validity: 3600),
  ]

  @Test func matchesTencentPythonSDKByteForByte() throws {
    let output = try SigningPythonOracle.run(
      script: Self.script, input: try JSONEncoder().encode(Self.cases), package: "cos-python-sdk-v5")
    let expected = try JSONDecoder().decode([String].self, from: output)
    try #require(expected.count == Self.cases.count)

    for (testCase, sdk) in zip(Self.cases, expected) {
      let signer = COSSigner(
        credentials: COSCredentials(secretID: testCase.secretID, secretKey: testCase.secretKey, sessionToken: testCase.token),
        validity: .seconds(testCase.validity))
      var request = HTTPRequest(
        method: testCase.method, scheme: "https", host: testCase.host, path: testCase.path,
        query: testCase.query.map { ($0[0], $0[1]) }, headers: testCase.headers.map { ($0[0], $0[1]) })
      try signer.sign(&request, at: Date(timeIntervalSince1970: Double(testCase.epoch)))
      #expect(request.header("authorization") == sdk, "\(testCase.method) \(testCase.path)")
    }
  }
}
