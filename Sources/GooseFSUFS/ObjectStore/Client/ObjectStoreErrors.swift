import GooseFSCore

/// Maps what an object store answered to the project's error codes, with messages that name the
/// bucket and the path but never a credential (the request's headers are never looked at).
enum ObjectStoreErrors {
  static func map(
    status: Int, body: [UInt8], operation: String, path: String?, location: ObjectStoreLocation
  ) -> GooseFSError {
    let document = S3ErrorDocument.parse(body)
    let code = document?.code ?? ""
    let serverMessage = document.map { $0.message.isEmpty ? "" : ": \($0.message)" } ?? ""
    let bucket = location.bucket
    let subject = path.map { "\"\($0)\"" } ?? "bucket \"\(bucket)\""
    let codeText = code.isEmpty ? "HTTP \(status)" : code

    switch (status, code) {
    case (_, "NoSuchBucket"):
      return GooseFSError(.notFound, "Bucket \"\(bucket)\" does not exist at \(location.endpoint.host) (\(operation)).")
    case (_, "NoSuchKey"), (404, _):
      return path.map(GooseFSError.pathDoesNotExist)
        ?? GooseFSError(.notFound, "\(operation) on bucket \"\(bucket)\" failed: \(codeText)\(serverMessage)")
    case (_, "AccessDenied"), (_, "SignatureDoesNotMatch"), (_, "InvalidAccessKeyId"), (_, "InvalidSecretId"),
      (_, "AuthFailure"), (_, "RequestTimeTooSkewed"), (_, "ExpiredToken"), (_, "InvalidToken"), (403, _):
      return GooseFSError(
        .permissionDenied,
        "Access denied to bucket \"\(bucket)\" (\(codeText)) during \(operation) of \(subject): "
          + "check the credentials (\(location.credentialKeysHint)), the region and the bucket policy.")
    case (412, _), (_, "PreconditionFailed"):
      return GooseFSError(
        .failedPrecondition, "\(subject) changed while it was being read (\(operation): \(codeText)); reopen it.")
    case (_, "SlowDown"), (429, _), (503, _):
      return GooseFSError(
        .unavailable, "Bucket \"\(bucket)\" is throttling requests (\(codeText)) during \(operation) of \(subject); retries ran out.")
    case (500..., _):
      return GooseFSError(
        .unavailable, "Object store error during \(operation) of \(subject) in bucket \"\(bucket)\": \(codeText)\(serverMessage)")
    case (_, "EntityTooLarge"), (_, "EntityTooSmall"), (_, "InvalidPart"), (_, "InvalidPartOrder"):
      return GooseFSError(.invalidArgument, "\(operation) of \(subject) was refused: \(codeText)\(serverMessage)")
    default:
      return GooseFSError(.ioError, "\(operation) of \(subject) in bucket \"\(bucket)\" failed: \(codeText)\(serverMessage)")
    }
  }

  /// A failure below HTTP once the retry budget is spent (or one no retry can fix).
  static func transport(_ error: any Error, operation: String, path: String?, location: ObjectStoreLocation) -> GooseFSError {
    if let error = error as? GooseFSError { return error }
    if error is CancellationError {
      return GooseFSError(.cancelled, "\(operation) was cancelled.")
    }
    let subject = path.map { " of \"\($0)\"" } ?? ""
    let detail = (error as? HTTPTransportError)?.message ?? String(describing: error)
    return GooseFSError(
      .unavailable,
      "Cannot reach the object store at \(location.endpoint.host) during \(operation)\(subject): \(detail)")
  }

  /// A response that is not what the API promises (unparsable listing and the like).
  static func protocolViolation(_ error: ObjectStoreProtocolError, operation: String, location: ObjectStoreLocation) -> GooseFSError {
    GooseFSError(.ioError, "Unexpected response from \(location.endpoint.host) to \(operation): \(error.description)")
  }
}
