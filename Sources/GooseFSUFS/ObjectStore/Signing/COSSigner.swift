import GooseFSCore

import Foundation

/// Tencent COS's own request signature (XML API, "q-sign-algorithm=sha1"), sent in the
/// Authorization header:
///
///     KeyTime      = "<start>;<end>"                       (epoch seconds)
///     SignKey      = hex(HMAC-SHA1(SecretKey, KeyTime))
///     HttpString   = lower(method) \n path \n HttpParameters \n HttpHeaders \n
///     StringToSign = "sha1\n" KeyTime "\n" hex(SHA1(HttpString)) "\n"
///     Signature    = hex(HMAC-SHA1(SignKey, StringToSign))
///
/// The path goes in as it is (unencoded). Parameters and headers are "key=value" pairs joined by
/// "&", keys URL-encoded then lower-cased, values URL-encoded, sorted by key.
///
/// Signed headers: those in `signedHeaderNames` and every x-cos-* / x-ci-* header present when
/// `sign` runs — the set Tencent's Python SDK signs, plus Date, which the documentation's worked
/// example signs. Headers outside that set (User-Agent, Accept, …) may change on the way without
/// breaking the signature.
public struct COSSigner: RequestSigner {
  /// Lower-case names of the ordinary HTTP headers signed when present.
  public static let signedHeaderNames: Set<String> = [
    "cache-control", "content-disposition", "content-encoding", "content-length", "content-md5", "content-type",
    "date", "expect", "expires", "host", "if-match", "if-modified-since", "if-none-match", "if-unmodified-since",
    "origin", "range", "transfer-encoding", "pic-operations",
  ]

  /// The signature's start is set this far before the signing instant, as Tencent's SDKs do, so a
  /// local clock slightly ahead of COS's does not make a fresh signature "not yet valid".
  public static let clockSkewAllowance: Duration = .seconds(60)

  private let credentials: COSCredentials
  /// How long after the signing instant the signature stays valid.
  public let validity: Duration

  public init(credentials: COSCredentials, validity: Duration = .seconds(3600)) {
    self.credentials = credentials
    self.validity = validity
  }

  public var description: String {
    "COSSigner(credentials: \(credentials), validity: \(validity))"
  }

  /// Sets Host (when missing), x-cos-security-token (temporary keys only) and Authorization.
  /// The key time runs from `date` − `clockSkewAllowance` to `date` + `validity`.
  public func sign(_ request: inout HTTPRequest, at date: Date) throws {
    guard !credentials.secretID.isEmpty, !credentials.secretKey.isEmpty else {
      throw GooseFSError(.invalidArgument, "COS credentials need both a SecretId and a SecretKey")
    }
    guard validity > .zero else {
      throw GooseFSError(.invalidArgument, "COS signature validity must be positive, not \(validity)")
    }
    try SigningSupport.checkNoLineBreaks(request)

    request.headers.removeAll { $0.name.lowercased() == "authorization" }
    if request.header("host") == nil {
      request.setHeader("host", request.hostHeader)
    }
    if let token = credentials.sessionToken {
      request.setHeader("x-cos-security-token", token)
    }
    let now = SigningTimestamp(date).epochSeconds
    let keyTime = "\(now - Self.clockSkewAllowance.components.seconds);\(now + validity.components.seconds)"
    request.setHeader("authorization", authorization(for: request, keyTime: keyTime))
  }

  // MARK: The steps, exposed for tests and diagnostics

  /// The Authorization value for `request` as it stands and an explicit key time "start;end".
  public func authorization(for request: HTTPRequest, keyTime: String) -> String {
    let parameters = Self.encodedPairs(request.query.map { ($0.name, $0.value) })
    let headers = Self.encodedPairs(Self.headersToSign(request))
    let httpString = Self.httpString(method: request.method, path: request.path, parameters: parameters, headers: headers)
    let signatureHex = signature(stringToSign: Self.stringToSign(httpString: httpString, keyTime: keyTime), keyTime: keyTime)
    return "q-sign-algorithm=sha1&q-ak=\(credentials.secretID)&q-sign-time=\(keyTime)&q-key-time=\(keyTime)"
      + "&q-header-list=\(Self.keyList(headers))&q-url-param-list=\(Self.keyList(parameters))&q-signature=\(signatureHex)"
  }

  /// HttpString ("FormatString" in the SDKs): lower(method)\npath\nHttpParameters\nHttpHeaders\n.
  public func formatString(_ request: HTTPRequest) -> String {
    Self.httpString(
      method: request.method, path: request.path,
      parameters: Self.encodedPairs(request.query.map { ($0.name, $0.value) }),
      headers: Self.encodedPairs(Self.headersToSign(request))
    )
  }

  /// q-header-list for `request` as it stands, e.g. "content-type;host;x-cos-acl".
  public func headerList(_ request: HTTPRequest) -> String {
    Self.keyList(Self.encodedPairs(Self.headersToSign(request)))
  }

  /// q-url-param-list for `request`, e.g. "delimiter;max-keys;prefix".
  public func urlParameterList(_ request: HTTPRequest) -> String {
    Self.keyList(Self.encodedPairs(request.query.map { ($0.name, $0.value) }))
  }

  /// "sha1\n<keyTime>\n<hex sha1 of httpString>\n".
  public static func stringToSign(httpString: String, keyTime: String) -> String {
    "sha1\n\(keyTime)\n\(Digest.hex(Digest.sha1(httpString)))\n"
  }

  /// hex(HMAC-SHA1(SecretKey, keyTime)).
  public func signKey(keyTime: String) -> String {
    Digest.hex(Digest.hmacSHA1(key: Array(credentials.secretKey.utf8), data: keyTime))
  }

  /// hex(HMAC-SHA1(SignKey, stringToSign)); the SignKey is used as its hex text, not its bytes.
  public func signature(stringToSign: String, keyTime: String) -> String {
    Digest.hex(Digest.hmacSHA1(key: Array(signKey(keyTime: keyTime).utf8), data: stringToSign))
  }

  // MARK: Private

  private typealias EncodedPair = (key: String, value: String)

  private static func headersToSign(_ request: HTTPRequest) -> [(String, String)] {
    request.headers.compactMap { header in
      let name = header.name.lowercased()
      let signed = signedHeaderNames.contains(name) || name.hasPrefix("x-cos-") || name.hasPrefix("x-ci-")
      return signed ? (header.name, header.value) : nil
    }
  }

  /// Keys URL-encoded then lower-cased (Tencent's order: "%2F" becomes "%2f"), values URL-encoded,
  /// sorted by key then value. A repeated key keeps one entry with its values joined by ",", since
  /// the key list cannot name a key twice.
  private static func encodedPairs(_ pairs: [(String, String)]) -> [EncodedPair] {
    var valuesByKey: [String: [String]] = [:]
    var order: [String] = []
    for (key, value) in pairs {
      let encodedKey = PercentEncoding.encode(key, keepSlash: false).lowercased()
      if valuesByKey[encodedKey] == nil { order.append(encodedKey) }
      valuesByKey[encodedKey, default: []].append(value)
    }
    return order.sorted(by: SigningSupport.utf8Less).map { key in
      (key, PercentEncoding.encode(valuesByKey[key, default: []].joined(separator: ","), keepSlash: false))
    }
  }

  private static func httpString(method: String, path: String, parameters: [EncodedPair], headers: [EncodedPair]) -> String {
    let path = path.isEmpty ? "/" : path
    return "\(method.lowercased())\n\(path)\n\(joined(parameters))\n\(joined(headers))\n"
  }

  private static func joined(_ pairs: [EncodedPair]) -> String {
    pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
  }

  private static func keyList(_ pairs: [EncodedPair]) -> String {
    pairs.map(\.key).joined(separator: ";")
  }
}
