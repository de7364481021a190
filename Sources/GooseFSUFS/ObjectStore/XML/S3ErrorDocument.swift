/// `<Error><Code>NoSuchKey</Code><Message>…</Message>…</Error>`, the body of S3 and COS errors
/// (and, for CompleteMultipartUpload and CopyObject, sometimes of a 200 response).
struct S3ErrorDocument: Sendable, Equatable {
  var code: String
  var message: String

  static func parse(_ bytes: [UInt8]) -> S3ErrorDocument? {
    guard !bytes.isEmpty, let root = S3XMLElement.parse(bytes), root.name == "Error" else { return nil }
    return S3ErrorDocument(code: root.value("Code") ?? "", message: root.value("Message") ?? "")
  }
}
