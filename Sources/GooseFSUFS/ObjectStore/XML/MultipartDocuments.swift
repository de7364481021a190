/// Request and response bodies of multipart upload and multi-object delete.
enum MultipartDocuments {
  /// The UploadId of an InitiateMultipartUploadResult.
  static func uploadID(_ bytes: [UInt8]) throws -> String {
    guard let root = S3XMLElement.parse(bytes), root.name == "InitiateMultipartUploadResult",
      let id = root.value("UploadId"), !id.isEmpty
    else {
      throw ObjectStoreProtocolError("CreateMultipartUpload did not return an UploadId.")
    }
    return id
  }

  /// The CompleteMultipartUpload body; `parts` are (number, ETag as the server sent it).
  static func completeBody(_ parts: [(number: Int, etag: String)]) -> String {
    var body = "<CompleteMultipartUpload>"
    for part in parts.sorted(by: { $0.number < $1.number }) {
      body += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(XMLText.escape(part.etag))</ETag></Part>"
    }
    return body + "</CompleteMultipartUpload>"
  }

  /// The DeleteObjects body. Quiet mode: the response lists only failures.
  static func deleteBody(_ keys: [String]) -> String {
    var body = "<Delete><Quiet>true</Quiet>"
    for key in keys {
      body += "<Object><Key>\(XMLText.escape(key))</Key></Object>"
    }
    return body + "</Delete>"
  }

  /// Failures reported in a DeleteResult: (key, code, message).
  static func deleteFailures(_ bytes: [UInt8]) -> [(key: String, code: String, message: String)] {
    guard let root = S3XMLElement.parse(bytes), root.name == "DeleteResult" else { return [] }
    return root.children("Error").map { ($0.value("Key") ?? "", $0.value("Code") ?? "", $0.value("Message") ?? "") }
  }
}
