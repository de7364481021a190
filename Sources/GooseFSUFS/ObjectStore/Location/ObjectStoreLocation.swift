import GooseFSCore

/// Everything needed to talk to the bucket behind one mount, resolved once from the mount's
/// location and options: which API dialect, where to send requests, how to sign them, and the
/// key prefix that is the mount's root.
public struct ObjectStoreLocation: Sendable, CustomStringConvertible {
  /// The request dialect: which headers name a copy source, an ACL, metadata.
  public enum Dialect: String, Sendable {
    case s3
    case cos
  }

  public enum Signing: String, Sendable {
    /// AWS Signature Version 4 (also accepted by COS's S3-compatible API).
    case awsV4
    /// COS's own `q-sign-algorithm=sha1` scheme.
    case cos
  }

  /// The mount root as given (`cosn://bucket-1250000000/prefix`).
  public let uri: UFSURI
  public let dialect: Dialect
  public let signing: Signing
  /// The real bucket name (for COS including the `-<appid>` suffix).
  public let bucket: String
  /// Key prefix of the mount root: "" for a whole bucket, otherwise ending in "/".
  public let rootKey: String
  public let endpoint: ObjectStoreEndpoint
  /// Signing region (SigV4) and the region in COS host names.
  public let region: String
  public let credentials: ObjectStoreCredentials
  public let tuning: ObjectStoreTuning
  /// Option names to suggest when the store rejects the credentials.
  public let credentialKeysHint: String

  init(
    uri: UFSURI, dialect: Dialect, signing: Signing, bucket: String, endpoint: ObjectStoreEndpoint,
    region: String, credentials: ObjectStoreCredentials, tuning: ObjectStoreTuning, credentialKeysHint: String
  ) {
    self.uri = uri
    self.dialect = dialect
    self.signing = signing
    self.bucket = bucket
    self.rootKey = uri.isRoot ? "" : String(uri.path.dropFirst()) + "/"
    self.endpoint = endpoint
    self.region = region
    self.credentials = credentials
    self.tuning = tuning
    self.credentialKeysHint = credentialKeysHint
  }

  /// Builds the location for `s3://`, `s3a://`, `cosn://` and `cos://` mounts. `environment`
  /// supplies the credential fallbacks (`AWS_*`, `COS_*`); tests pass their own.
  public static func resolve(
    uri: UFSURI, options: [String: String], environment: [String: String]
  ) throws -> ObjectStoreLocation {
    let reader = ObjectStoreOptionReader(options: options)
    switch uri.scheme {
    case "s3", "s3a":
      return try S3LocationRules.resolve(uri: uri, reader: reader, environment: environment)
    case "cosn", "cos":
      return try COSLocationRules.resolve(uri: uri, reader: reader, environment: environment)
    default:
      throw GooseFSError(.invalidArgument, "\"\(uri)\" is not an S3 or COS location.")
    }
  }

  /// Safe to log: no credentials.
  public var description: String {
    "\(uri) → bucket \"\(bucket)\" at \(endpoint), region \(region), \(dialect.rawValue) dialect, "
      + "\(signing.rawValue) signing, \(credentials)"
  }
}
