import GooseFSCore

/// `s3://bucket/prefix` and `s3a://…`: Alluxio's S3 keys, then the AWS environment variables.
enum S3LocationRules {
  typealias Keys = ObjectStoreOptionKeys

  static func resolve(
    uri: UFSURI, reader: ObjectStoreOptionReader, environment: [String: String]
  ) throws -> ObjectStoreLocation {
    let bucket = uri.authority
    let region = reader.string(Keys.s3Region) ?? "us-east-1"
    let endpoint = try endpoint(bucket: bucket, region: region, reader: reader)
    let credentials = try credentials(reader: reader, environment: environment, uri: uri)
    let tuning = try ObjectStoreTuningRules.read(
      reader, partSizeKeys: [Keys.s3PartSize], defaultPartSize: 64 << 20,
      socketTimeoutKeys: [Keys.s3SocketTimeout], connectTimeoutKeys: [],
      maxConnectionKeys: [Keys.s3ThreadsMax])
    return ObjectStoreLocation(
      uri: uri, dialect: .s3, signing: .awsV4, bucket: bucket, endpoint: endpoint, region: region,
      credentials: credentials, tuning: tuning,
      credentialKeysHint: "\(Keys.s3aAccessKeyID)/\(Keys.s3aSecretKey)")
  }

  /// No endpoint: AWS itself. A host endpoint keeps virtual-host addressing unless DNS buckets
  /// are disabled; a full URL (MinIO, moto, on-premises gateways) is always path style, since
  /// such servers rarely have wildcard DNS for bucket names.
  static func endpoint(bucket: String, region: String, reader: ObjectStoreOptionReader) throws -> ObjectStoreEndpoint {
    let disableDNS = try reader.bool(Keys.s3DisableDNSBuckets, default: false)
    guard let configured = reader.string(Keys.s3Endpoint) else {
      return hostEndpoint(
        scheme: "https", host: "s3.\(region).amazonaws.com", port: nil, bucket: bucket, disableDNS: disableDNS)
    }
    if let url = try ObjectStoreEndpoint.parseURL(configured, key: Keys.s3Endpoint) {
      return ObjectStoreEndpoint(scheme: url.scheme, host: url.host, port: url.port, pathStyle: true)
    }
    let (host, port) = try ObjectStoreEndpoint.splitHostPort(Substring(configured), original: configured, key: Keys.s3Endpoint)
    let secure = try reader.bool(Keys.s3SecureHTTP, default: true)
    return hostEndpoint(scheme: secure ? "https" : "http", host: host, port: port, bucket: bucket, disableDNS: disableDNS)
  }

  private static func hostEndpoint(
    scheme: String, host: String, port: Int?, bucket: String, disableDNS: Bool
  ) -> ObjectStoreEndpoint {
    if disableDNS || !ObjectStoreEndpoint.supportsVirtualHost(bucket: bucket, scheme: scheme) {
      return ObjectStoreEndpoint(scheme: scheme, host: host, port: port, pathStyle: true)
    }
    return ObjectStoreEndpoint(scheme: scheme, host: "\(bucket).\(host)", port: port, pathStyle: false)
  }

  /// Mount options win over the environment, as in Alluxio; an id without a secret (or the other
  /// way round) is an error rather than a silent fall-through to another source.
  static func credentials(
    reader: ObjectStoreOptionReader, environment: [String: String], uri: UFSURI
  ) throws -> ObjectStoreCredentials {
    let pairs: [(idKey: String, secretKey: String)] = [
      (Keys.s3aAccessKeyID, Keys.s3aSecretKey), (Keys.awsAccessKeyID, Keys.awsSecretKey),
    ]
    for pair in pairs {
      let id = reader.string(pair.idKey)
      let secret = reader.string(pair.secretKey)
      if id == nil && secret == nil { continue }
      guard let id, let secret else {
        throw GooseFSError(
          .invalidArgument,
          "Incomplete credentials for \"\(uri)\": set both \(pair.idKey) and \(pair.secretKey).")
      }
      return ObjectStoreCredentials(
        accessKeyID: id, secretKey: secret, sessionToken: nil, source: "mount options \(pair.idKey)/\(pair.secretKey)")
    }
    let id = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
    let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    if let id, let secret {
      let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
      return ObjectStoreCredentials(
        accessKeyID: id, secretKey: secret, sessionToken: token,
        source: "environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
    }
    throw GooseFSError(
      .invalidArgument,
      "No credentials for \"\(uri)\": set \(Keys.s3aAccessKeyID) and \(Keys.s3aSecretKey) "
        + "(or \(Keys.awsAccessKeyID) and \(Keys.awsSecretKey)) in the mount options, "
        + "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.")
  }
}
