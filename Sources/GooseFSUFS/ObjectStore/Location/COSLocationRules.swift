import GooseFSCore

/// `cosn://bucket-appid/prefix` (Hadoop-COS keys) and `cos://bucket-appid/prefix` (Alluxio's
/// native COS keys). Each scheme reads its own spelling first and the other one second, so a
/// site configured for one works for both.
enum COSLocationRules {
  typealias Keys = ObjectStoreOptionKeys

  static func resolve(
    uri: UFSURI, reader: ObjectStoreOptionReader, environment: [String: String]
  ) throws -> ObjectStoreLocation {
    let isCosN = uri.scheme == "cosn"
    func pick(_ cosnKey: String, _ cosKey: String) -> String? {
      isCosN ? reader.string(cosnKey, cosKey) : reader.string(cosKey, cosnKey)
    }
    let bucket = try bucketName(uri.authority, appID: reader.string(Keys.cosAppID))
    let region = pick(Keys.cosnRegion, Keys.cosRegion)
    let useHTTPS = try reader.bool(Keys.cosnUseHTTPS, default: true)
    let endpoint = try endpoint(
      bucket: bucket, region: region, suffix: reader.string(Keys.cosnEndpointSuffix), useHTTPS: useHTTPS,
      regionKey: isCosN ? Keys.cosnRegion : Keys.cosRegion)

    let idKey = isCosN ? Keys.cosnSecretID : Keys.cosAccessKey
    let secretKey = isCosN ? Keys.cosnSecretKey : Keys.cosSecretKey
    let credentials = try credentials(
      id: pick(Keys.cosnSecretID, Keys.cosAccessKey), secret: pick(Keys.cosnSecretKey, Keys.cosSecretKey),
      idKey: idKey, secretKey: secretKey, environment: environment, uri: uri)

    let signing: ObjectStoreLocation.Signing
    let dialect: ObjectStoreLocation.Dialect
    // A full-URL endpoint suffix is not a COS region endpoint (those are host names) but an
    // S3-compatible gateway or test server (moto cannot even parse a COS Authorization header),
    // so it defaults to the S3 dialect; `fs.cosn.signer=cos` keeps COS signing for it.
    let suffixIsURL = try reader.string(Keys.cosnEndpointSuffix).map { try ObjectStoreEndpoint.parseURL($0, key: Keys.cosnEndpointSuffix) != nil } ?? false
    switch pick(Keys.cosnSigner, Keys.cosSigner)?.lowercased() ?? (suffixIsURL ? "s3v4" : "cos") {
    case "cos":
      (signing, dialect) = (.cos, .cos)
    case "s3v4":
      // COS's S3-compatible API (and S3 servers standing in for COS): SigV4 with x-amz-* headers.
      (signing, dialect) = (.awsV4, .s3)
    case let other:
      throw GooseFSError(
        .invalidArgument, "Invalid value \"\(other)\" for \(isCosN ? Keys.cosnSigner : Keys.cosSigner): expected cos or s3v4.")
    }
    let tuning = try ObjectStoreTuningRules.read(
      reader, partSizeKeys: [Keys.cosnPartSize, Keys.s3PartSize], defaultPartSize: 8 << 20,
      socketTimeoutKeys: [Keys.cosSocketTimeout, Keys.s3SocketTimeout],
      connectTimeoutKeys: [Keys.cosConnectionTimeout],
      maxConnectionKeys: [Keys.cosConnectionMax, Keys.s3ThreadsMax])
    return ObjectStoreLocation(
      uri: uri, dialect: dialect, signing: signing, bucket: bucket, endpoint: endpoint,
      region: region ?? "us-east-1", credentials: credentials, tuning: tuning,
      credentialKeysHint: "\(idKey)/\(secretKey)")
  }

  /// COS bucket names end in `-<appid>` (digits). A bare name gets `fs.cos.app.id` appended.
  static func bucketName(_ authority: String, appID: String?) throws -> String {
    if let dash = authority.lastIndex(of: "-") {
      let suffix = authority[authority.index(after: dash)...]
      if !suffix.isEmpty, suffix.allSatisfy({ $0.isASCII && $0.isNumber }) { return authority }
    }
    guard let appID else {
      throw GooseFSError(
        .invalidArgument,
        "COS bucket \"\(authority)\" has no -<appid> suffix: name it like \(authority)-1250000000 or set \(Keys.cosAppID).")
    }
    guard appID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw GooseFSError(.invalidArgument, "Invalid value \"\(appID)\" for \(Keys.cosAppID): expected digits.")
    }
    return "\(authority)-\(appID)"
  }

  /// `fs.cosn.bucket.endpoint_suffix` is a host suffix (`cos.ap-guangzhou.myqcloud.com`, the
  /// bucket goes in front) or a full `http(s)://host:port` URL, which is addressed path style;
  /// without it the region's public endpoint is used.
  static func endpoint(
    bucket: String, region: String?, suffix: String?, useHTTPS: Bool, regionKey: String
  ) throws -> ObjectStoreEndpoint {
    let scheme = useHTTPS ? "https" : "http"
    if let suffix {
      if let url = try ObjectStoreEndpoint.parseURL(suffix, key: Keys.cosnEndpointSuffix) {
        return ObjectStoreEndpoint(scheme: url.scheme, host: url.host, port: url.port, pathStyle: true)
      }
      var hostSuffix = Substring(suffix)
      while hostSuffix.hasPrefix(".") { hostSuffix = hostSuffix.dropFirst() }
      let (host, port) = try ObjectStoreEndpoint.splitHostPort(hostSuffix, original: suffix, key: Keys.cosnEndpointSuffix)
      let fullHost = host.hasPrefix(bucket + ".") ? host : "\(bucket).\(host)"
      return ObjectStoreEndpoint(scheme: scheme, host: fullHost, port: port, pathStyle: false)
    }
    guard let region else {
      throw GooseFSError(
        .invalidArgument,
        "No region for COS bucket \"\(bucket)\": set \(regionKey) (such as ap-guangzhou) or \(Keys.cosnEndpointSuffix).")
    }
    return ObjectStoreEndpoint(scheme: scheme, host: "\(bucket).cos.\(region).myqcloud.com", port: nil, pathStyle: false)
  }

  static func credentials(
    id: String?, secret: String?, idKey: String, secretKey: String, environment: [String: String], uri: UFSURI
  ) throws -> ObjectStoreCredentials {
    if id != nil || secret != nil {
      guard let id, let secret else {
        throw GooseFSError(.invalidArgument, "Incomplete credentials for \"\(uri)\": set both \(idKey) and \(secretKey).")
      }
      return ObjectStoreCredentials(
        accessKeyID: id, secretKey: secret, sessionToken: nil, source: "mount options \(idKey)/\(secretKey)")
    }
    let envID = environment["COS_SECRET_ID"].flatMap { $0.isEmpty ? nil : $0 }
    let envSecret = environment["COS_SECRET_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    if let envID, let envSecret {
      return ObjectStoreCredentials(
        accessKeyID: envID, secretKey: envSecret, sessionToken: nil, source: "environment COS_SECRET_ID/COS_SECRET_KEY")
    }
    throw GooseFSError(
      .invalidArgument,
      "No credentials for \"\(uri)\": set \(idKey) and \(secretKey) in the mount options, "
        + "or COS_SECRET_ID and COS_SECRET_KEY in the environment.")
  }
}
