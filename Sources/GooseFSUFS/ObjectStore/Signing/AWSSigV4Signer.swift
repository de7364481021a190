import GooseFSCore

import Foundation

/// AWS Signature Version 4 in the Authorization header, as S3 (and S3-compatible stores such as
/// MinIO, moto, or COS's S3 endpoint) verifies it.
///
/// S3 flavour: the path is percent-encoded once and not normalised (S3 keys may contain `//`,
/// `.` or `..` segments that must reach the server as written). Other AWS services expect the
/// path encoded twice and normalised; this signer is not meant for them.
///
/// Every header present when `sign` runs is signed, except the hop-by-hop and client-identity
/// headers a proxy or the HTTP stack may add, drop or rewrite (the same list botocore leaves
/// out). Headers the transport adds afterwards are simply not covered, which S3 allows for all
/// but x-amz-* headers.
public struct AWSSigV4Signer: RequestSigner {
  public enum PayloadSigning: Sendable {
    /// x-amz-content-sha256: UNSIGNED-PAYLOAD — the body is not hashed (cheap for large uploads;
    /// integrity then rests on TLS and, where set, Content-MD5).
    case unsigned
    /// x-amz-content-sha256: the SHA-256 of `request.body` (of the empty string without a body).
    case signed
  }

  public static let algorithm = "AWS4-HMAC-SHA256"
  public static let unsignedPayload = "UNSIGNED-PAYLOAD"

  /// Lower-case names never signed (botocore's list, plus the Authorization header itself).
  static let excludedHeaderNames: Set<String> = [
    "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
  ]

  private let credentials: AWSCredentials
  public let region: String
  public let service: String
  public let payloadSigning: PayloadSigning

  public init(credentials: AWSCredentials, region: String, service: String = "s3", payloadSigning: PayloadSigning = .signed) {
    self.credentials = credentials
    self.region = region
    self.service = service
    self.payloadSigning = payloadSigning
  }

  public var description: String {
    "AWSSigV4Signer(credentials: \(credentials), region: \(region), service: \(service), payload: \(payloadSigning))"
  }

  /// Sets Host (when missing), x-amz-date, x-amz-security-token (temporary credentials only),
  /// x-amz-content-sha256 and Authorization; replaces any earlier values, so signing a retried
  /// request again is safe.
  public func sign(_ request: inout HTTPRequest, at date: Date) throws {
    guard !credentials.accessKeyID.isEmpty, !credentials.secretAccessKey.isEmpty else {
      throw GooseFSError(.invalidArgument, "AWS credentials need both an access key ID and a secret access key")
    }
    guard !region.isEmpty, !service.isEmpty else {
      throw GooseFSError(.invalidArgument, "SigV4 signing needs a region and a service name")
    }
    try SigningSupport.checkNoLineBreaks(request)
    let timestamp = SigningTimestamp(date)

    request.headers.removeAll { $0.name.lowercased() == "authorization" }
    if request.header("host") == nil {
      request.setHeader("host", request.hostHeader)
    }
    request.setHeader("x-amz-date", timestamp.amzDate)
    if let token = credentials.sessionToken {
      request.setHeader("x-amz-security-token", token)
    }
    let payloadHash = computedPayloadHash(of: request)
    request.setHeader("x-amz-content-sha256", payloadHash)

    let headers = canonicalHeaders(of: request)
    let canonical = canonicalRequest(request, headers: headers, payloadHash: payloadHash)
    let signatureHex = signature(stringToSign: stringToSign(canonicalRequest: canonical, at: timestamp), at: timestamp)
    request.setHeader(
      "authorization",
      "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(at: timestamp)), "
        + "SignedHeaders=\(headers.signedNames), Signature=\(signatureHex)"
    )
  }

  // MARK: The steps, exposed for tests and diagnostics

  /// The canonical request of `request` as it stands (nothing is added to it):
  /// method, URI, query, headers, signed header names, payload hash — one per line.
  /// `payloadHash` defaults to the request's x-amz-content-sha256 header, else to what
  /// `payloadSigning` gives.
  public func canonicalRequest(_ request: HTTPRequest, payloadHash: String? = nil) -> String {
    canonicalRequest(
      request, headers: canonicalHeaders(of: request),
      payloadHash: payloadHash ?? request.header("x-amz-content-sha256") ?? computedPayloadHash(of: request)
    )
  }

  /// The `SignedHeaders` value for `request` as it stands, e.g. "host;range;x-amz-date".
  public func signedHeaders(_ request: HTTPRequest) -> String {
    canonicalHeaders(of: request).signedNames
  }

  /// "AWS4-HMAC-SHA256\n<x-amz-date>\n<scope>\n<hex sha256 of the canonical request>".
  public func stringToSign(canonicalRequest: String, at date: Date) -> String {
    stringToSign(canonicalRequest: canonicalRequest, at: SigningTimestamp(date))
  }

  /// The hex HMAC-SHA256 of `stringToSign` under the key derived for `date`'s day, the region
  /// and the service.
  public func signature(stringToSign: String, at date: Date) -> String {
    signature(stringToSign: stringToSign, at: SigningTimestamp(date))
  }

  /// "<yyyyMMdd>/<region>/<service>/aws4_request".
  public func credentialScope(at date: Date) -> String {
    scope(at: SigningTimestamp(date))
  }

  // MARK: Private

  private struct CanonicalHeaders {
    /// "name:value\n" per signed header, sorted by name.
    var block: String
    /// "name1;name2;…".
    var signedNames: String
  }

  private func canonicalRequest(_ request: HTTPRequest, headers: CanonicalHeaders, payloadHash: String) -> String {
    var lines = request.method.uppercased() + "\n"
    lines += canonicalURI(request.path) + "\n"
    lines += canonicalQuery(request.query) + "\n"
    lines += headers.block + "\n"
    lines += headers.signedNames + "\n"
    lines += payloadHash
    return lines
  }

  private func stringToSign(canonicalRequest: String, at timestamp: SigningTimestamp) -> String {
    "\(Self.algorithm)\n\(timestamp.amzDate)\n\(scope(at: timestamp))\n\(Digest.hex(Digest.sha256(canonicalRequest)))"
  }

  private func signature(stringToSign: String, at timestamp: SigningTimestamp) -> String {
    Digest.hex(Digest.hmacSHA256(key: signingKey(at: timestamp), data: stringToSign))
  }

  /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
  private func signingKey(at timestamp: SigningTimestamp) -> [UInt8] {
    var key = Digest.hmacSHA256(key: Array(("AWS4" + credentials.secretAccessKey).utf8), data: timestamp.dateStamp)
    key = Digest.hmacSHA256(key: key, data: region)
    key = Digest.hmacSHA256(key: key, data: service)
    return Digest.hmacSHA256(key: key, data: "aws4_request")
  }

  private func scope(at timestamp: SigningTimestamp) -> String {
    "\(timestamp.dateStamp)/\(region)/\(service)/aws4_request"
  }

  private func computedPayloadHash(of request: HTTPRequest) -> String {
    switch payloadSigning {
    case .unsigned: Self.unsignedPayload
    case .signed: request.body.map { Digest.hex(Digest.sha256($0)) } ?? Digest.emptySHA256Hex
    }
  }

  /// The unencoded path, each byte outside the unreserved set encoded once; "/" kept.
  private func canonicalURI(_ path: String) -> String {
    path.isEmpty ? "/" : PercentEncoding.encode(path, keepSlash: true)
  }

  /// Names and values encoded, sorted by name then value, "=" even after an empty value.
  private func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
    query
      .map { (PercentEncoding.encode($0.name, keepSlash: false), PercentEncoding.encode($0.value, keepSlash: false)) }
      .sorted { $0.0 == $1.0 ? SigningSupport.utf8Less($0.1, $1.1) : SigningSupport.utf8Less($0.0, $1.0) }
      .map { "\($0.0)=\($0.1)" }
      .joined(separator: "&")
  }

  /// Lower-case names, sorted; repeated headers joined by "," in the order given; values trimmed
  /// with inner whitespace runs collapsed to one space.
  private func canonicalHeaders(of request: HTTPRequest) -> CanonicalHeaders {
    var valuesByName: [String: [String]] = [:]
    for header in request.headers {
      let name = header.name.lowercased()
      guard !Self.excludedHeaderNames.contains(name) else { continue }
      valuesByName[name, default: []].append(Self.trimmedValue(header.value))
    }
    let names = valuesByName.keys.sorted(by: SigningSupport.utf8Less)
    var block = ""
    for name in names {
      block += name + ":" + valuesByName[name, default: []].joined(separator: ",") + "\n"
    }
    return CanonicalHeaders(block: block, signedNames: names.joined(separator: ";"))
  }

  /// SigV4's Trimall: no leading or trailing whitespace, runs of inner whitespace as one space.
  static func trimmedValue(_ value: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(value.utf8.count)
    var pendingSpace = false
    for byte in value.utf8 {
      if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == 0x0B || byte == 0x0C {
        pendingSpace = !bytes.isEmpty
      } else {
        if pendingSpace { bytes.append(UInt8(ascii: " ")) }
        pendingSpace = false
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
