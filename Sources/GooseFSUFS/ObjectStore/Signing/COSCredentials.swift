/// A Tencent Cloud API key pair (SecretId / SecretKey), optionally temporary (STS) with a session
/// token. `description` never shows the key or the token.
public struct COSCredentials: Sendable, CustomStringConvertible {
  public var secretID: String
  public var secretKey: String
  /// Set for temporary keys; sent as x-cos-security-token (and signed, like every x-cos-* header).
  public var sessionToken: String?

  public init(secretID: String, secretKey: String, sessionToken: String? = nil) {
    self.secretID = secretID
    self.secretKey = secretKey
    self.sessionToken = sessionToken
  }

  public var description: String {
    let token = sessionToken == nil ? "none" : "<redacted>"
    return "COSCredentials(secretID: \(SigningSupport.redactedIdentifier(secretID)), secretKey: <redacted>, "
      + "sessionToken: \(token))"
  }
}
