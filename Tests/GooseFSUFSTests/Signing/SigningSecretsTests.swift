import GooseFSUFS
import Testing

/// Credentials and signers end up in logs and error messages; their descriptions must not carry
/// anything that lets a reader sign requests.
@Suite struct SigningSecretsTests {
  static let awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  static let awsToken = "FwoGZXIvYXdzEJr-session-token-value"
  static let accessKeyID = "AKIAIOSFODNN7EXAMPLE"
  static let cosSecret = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"
  static let secretID = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"

  private func expectNoSecrets(_ text: String) {
    for secret in [Self.awsSecret, Self.awsToken, Self.cosSecret] {
      #expect(!text.contains(secret), "description shows a secret: \(text)")
    }
    // Identifiers are shown only by a short prefix.
    #expect(!text.contains(Self.accessKeyID), "\(text)")
    #expect(!text.contains(Self.secretID), "\(text)")
    #expect(!text.contains("EXAMPLE"), "\(text)")
  }

  @Test func awsDescriptionsRedact() {
    let credentials = AWSCredentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.awsSecret, sessionToken: Self.awsToken)
    let signer = AWSSigV4Signer(credentials: credentials, region: "us-east-1")
    for text in [String(describing: credentials), String(describing: signer), "\(credentials)", "\(signer)"] {
      expectNoSecrets(text)
      #expect(text.contains("<redacted>"))
    }
    #expect(String(describing: signer).contains("us-east-1"))
    #expect(String(describing: credentials).contains("AKIA…"))
  }

  @Test func cosDescriptionsRedact() {
    let credentials = COSCredentials(secretID: Self.secretID, secretKey: Self.cosSecret, sessionToken: Self.awsToken)
    let signer = COSSigner(credentials: credentials)
    for text in [String(describing: credentials), String(describing: signer)] {
      expectNoSecrets(text)
      #expect(text.contains("<redacted>"))
    }
  }

  @Test func existentialDescriptionRedactsToo() {
    let signers: [any RequestSigner] = [
      AWSSigV4Signer(credentials: AWSCredentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.awsSecret), region: "r"),
      COSSigner(credentials: COSCredentials(secretID: Self.secretID, secretKey: Self.cosSecret)),
    ]
    for signer in signers { expectNoSecrets(String(describing: signer)) }
  }
}
