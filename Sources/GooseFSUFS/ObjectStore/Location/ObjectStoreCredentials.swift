/// An access key pair for one mount. Never printed: `description` and `debugDescription` name
/// only where the keys came from (the configuration treats key ids as secret too), so that a
/// credential interpolated into a log line or an error message by mistake is still safe.
public struct ObjectStoreCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  let accessKeyID: String
  let secretKey: String
  let sessionToken: String?
  /// Where they came from, for messages: "mount options s3a.accessKeyId/s3a.secretKey".
  public let source: String

  init(accessKeyID: String, secretKey: String, sessionToken: String?, source: String) {
    self.accessKeyID = accessKeyID
    self.secretKey = secretKey
    self.sessionToken = sessionToken
    self.source = source
  }

  public var description: String {
    "credentials from \(source)"
  }

  public var debugDescription: String { description }
}
