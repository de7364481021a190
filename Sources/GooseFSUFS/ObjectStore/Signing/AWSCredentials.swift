/// An AWS access key (or any S3-compatible store's), optionally temporary (STS) with a session
/// token. `description` never shows the secret key or the token.
public struct AWSCredentials: Sendable, CustomStringConvertible {
  public var accessKeyID: String
  public var secretAccessKey: String
  /// Set for temporary credentials; sent as x-amz-security-token and signed.
  public var sessionToken: String?

  public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
  }

  public var description: String {
    let token = sessionToken == nil ? "none" : "<redacted>"
    return "AWSCredentials(accessKeyID: \(SigningSupport.redactedIdentifier(accessKeyID)), "
      + "secretAccessKey: <redacted>, sessionToken: \(token))"
  }
}
