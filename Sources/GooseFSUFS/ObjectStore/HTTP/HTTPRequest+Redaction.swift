import Foundation

extension HTTPRequest {
  /// The request for logs and error messages: method, URL and header names only. Header values
  /// are left out (signatures, tokens and checksums are no one's business in a log) and
  /// Authorization is marked `<redacted>`; so are query values that carry presigned-URL secrets.
  public var redactedDescription: String {
    var url = "\(scheme)://\(hostHeader)\(PercentEncoding.encode(path, keepSlash: true))"
    if !query.isEmpty {
      url += "?" + query.map { parameter in
        let value = Self.isSecretQueryName(parameter.name) ? "<redacted>" : PercentEncoding.encode(parameter.value, keepSlash: false)
        return PercentEncoding.encode(parameter.name, keepSlash: false) + "=" + value
      }.joined(separator: "&")
    }
    let names = headers.map { header in
      header.name.caseInsensitiveCompare("Authorization") == .orderedSame ? "\(header.name): <redacted>" : header.name
    }
    return "\(method) \(url) headers: [\(names.joined(separator: ", "))]"
  }

  /// Method, scheme, host and path, without query: what transport error messages name.
  var exchangeDescription: String {
    "\(method) \(scheme)://\(hostHeader)\(PercentEncoding.encode(path, keepSlash: true))"
  }

  /// Presigned S3 and COS URLs carry credentials and signatures in these parameters.
  private static func isSecretQueryName(_ name: String) -> Bool {
    let lowered = name.lowercased()
    return lowered.contains("signature") || lowered.contains("credential") || lowered.contains("token")
      || lowered == "q-ak"
  }
}
