import CGooseFSHTTP

/// Turns a failed libcurl transfer into the transport's error kinds, which decide retries.
enum CurlErrorMapping {
  /// `exchange` names the request without headers or query (neither may carry secrets into
  /// logs); `detail` is curl's error buffer, which describes sockets and TLS, never headers.
  static func error(_ code: CURLcode, exchange: String, detail: String) -> HTTPTransportError {
    let summary = String(cString: curl_easy_strerror(code))
    let message = detail.isEmpty ? "\(exchange): \(summary)" : "\(exchange): \(summary) (\(detail))"
    return HTTPTransportError(kind(of: code, detail: detail), message)
  }

  static func kind(of code: CURLcode, detail: String) -> HTTPTransportError.Kind {
    switch code {
    case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
      return .connectFailed
    case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
      CURLE_HTTP2_STREAM, CURLE_SEND_FAIL_REWIND:
      return .connectionReset
    case CURLE_OPERATION_TIMEDOUT:
      return .timeout
    case CURLE_SSL_CONNECT_ERROR:
      // OpenSSL reports a peer that hung up mid-handshake as a TLS error; that is a dropped
      // connection (worth a retry), not a certificate or protocol problem.
      return looksLikeDroppedConnection(detail) ? .connectionReset : .tlsFailure
    case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
      CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
      CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
      CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
      return .tlsFailure
    case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION,
      CURLE_NOT_BUILT_IN:
      return .invalidRequest
    default:
      return .other
    }
  }

  private static func looksLikeDroppedConnection(_ detail: String) -> Bool {
    let lowered = detail.lowercased()
    return lowered.contains("reset by peer") || lowered.contains("ssl_error_syscall")
      || lowered.contains("unexpected eof")
  }
}
