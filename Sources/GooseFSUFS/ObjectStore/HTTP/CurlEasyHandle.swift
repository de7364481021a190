import CGooseFSHTTP

/// One libcurl easy handle with its error buffer and the header list of its current transfer.
/// Used on the multi thread only (libcurl handles must never be used by two threads at once).
final class CurlEasyHandle {
  let raw: UnsafeMutableRawPointer
  /// CURLOPT_ERRORBUFFER: libcurl writes a detailed message here when a transfer fails.
  private let errorBuffer: UnsafeMutablePointer<CChar>
  /// CURLOPT_HTTPHEADER must stay allocated while the transfer runs.
  private var headerList: UnsafeMutablePointer<curl_slist>?

  init?() {
    guard let raw = curl_easy_init() else { return nil }
    self.raw = raw
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
  }

  deinit {
    curl_easy_cleanup(raw)
    curl_slist_free_all(headerList)
    errorBuffer.deallocate()
  }

  var errorDetail: String { String(cString: errorBuffer) }

  /// Forgets everything about the last transfer, so nothing of it leaks into the next one.
  /// Connections stay in the multi handle's cache.
  func reset() {
    curl_easy_reset(raw)
    curl_slist_free_all(headerList)
    headerList = nil
    errorBuffer[0] = 0
  }

  /// Sets every option of `transfer`. `context` is the retained transfer pointer that the
  /// callbacks receive.
  func prepare(
    for transfer: CurlTransfer, context: UnsafeMutableRawPointer, configuration: CurlTransportConfiguration
  ) throws(HTTPTransportError) {
    let options = OptionSetter(handle: raw, exchange: transfer.exchange)
    try options.pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
    try options.pointer(CURLOPT_PRIVATE, context)
    try options.string(CURLOPT_URL, transfer.url)
    try options.string(CURLOPT_PROTOCOLS_STR, "http,https")
    try options.long(CURLOPT_NOSIGNAL, 1)  // no SIGALRM for DNS timeouts: we run on our own thread
    try options.long(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
    try options.long(CURLOPT_FOLLOWLOCATION, 0)
    try options.long(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
    if configuration.tcpKeepAlive {
      let seconds = max(1, Int(configuration.tcpKeepAliveInterval.components.seconds))
      try options.long(CURLOPT_TCP_KEEPALIVE, 1)
      try options.long(CURLOPT_TCP_KEEPIDLE, seconds)
      try options.long(CURLOPT_TCP_KEEPINTVL, seconds)
    }
    try options.long(CURLOPT_SSL_VERIFYPEER, configuration.verifyTLSPeer ? 1 : 0)
    try options.long(CURLOPT_SSL_VERIFYHOST, configuration.verifyTLSPeer ? 2 : 0)
    if let path = configuration.caBundlePath {
      try options.string(CURLOPT_CAINFO, path)
    }
    if !transfer.hasUserAgent {
      try options.string(CURLOPT_USERAGENT, configuration.userAgent)
    }
    for line in transfer.headerLines {
      guard let appended = curl_slist_append(headerList, line) else {
        throw HTTPTransportError(.other, "\(transfer.exchange): out of memory for headers")
      }
      headerList = appended
    }
    try options.slist(CURLOPT_HTTPHEADER, headerList)

    try options.callback(CURLOPT_HEADERFUNCTION, CurlCallbacks.header)
    try options.pointer(CURLOPT_HEADERDATA, context)
    try options.callback(CURLOPT_WRITEFUNCTION, CurlCallbacks.write)
    try options.pointer(CURLOPT_WRITEDATA, context)
    try options.long(CURLOPT_BUFFERSIZE, configuration.receiveChunkSize)

    if transfer.method == "HEAD" {
      try options.long(CURLOPT_NOBODY, 1)
    } else if transfer.method != "GET" || transfer.uploadLength != nil {
      try options.string(CURLOPT_CUSTOMREQUEST, transfer.method)
    }
    if let length = transfer.uploadLength {
      // An upload sends exactly Content-Length bytes through the read callback; with
      // CURLOPT_CUSTOMREQUEST the method stays the one asked for (POST, PUT, ...).
      try options.long(CURLOPT_UPLOAD, 1)
      try options.offset(CURLOPT_INFILESIZE_LARGE, length)
      try options.long(CURLOPT_UPLOAD_BUFFERSIZE, configuration.receiveChunkSize)
      try options.callback(CURLOPT_READFUNCTION, CurlCallbacks.read)
      try options.pointer(CURLOPT_READDATA, context)
      try options.seekCallback(CURLOPT_SEEKFUNCTION, CurlCallbacks.seek)
      try options.pointer(CURLOPT_SEEKDATA, context)
    }
    if case .total(let timeout) = transfer.limit {
      try options.long(CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds)
    }
  }
}

/// curl_easy_setopt through the shims, turning a refused option into an error.
private struct OptionSetter {
  let handle: UnsafeMutableRawPointer
  let exchange: String

  func long(_ option: CURLoption, _ value: Int) throws(HTTPTransportError) {
    try check(goosefs_curl_setopt_long(handle, option, value), option)
  }

  func offset(_ option: CURLoption, _ value: Int) throws(HTTPTransportError) {
    try check(goosefs_curl_setopt_offset(handle, option, curl_off_t(value)), option)
  }

  /// libcurl copies string options, so the temporary C string may go away afterwards.
  func string(_ option: CURLoption, _ value: String) throws(HTTPTransportError) {
    try check(goosefs_curl_setopt_string(handle, option, value), option)
  }

  func pointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) throws(HTTPTransportError) {
    try check(goosefs_curl_setopt_pointer(handle, option, value), option)
  }

  func slist(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) throws(HTTPTransportError) {
    try check(goosefs_curl_setopt_slist(handle, option, value), option)
  }

  func callback(_ option: CURLoption, _ value: goosefs_curl_data_callback) throws(HTTPTransportError) {
    try check(goosefs_curl_setopt_data_callback(handle, option, value), option)
  }

  func seekCallback(_ option: CURLoption, _ value: curl_seek_callback) throws(HTTPTransportError) {
    try check(goosefs_curl_setopt_seek_callback(handle, option, value), option)
  }

  private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPTransportError) {
    guard code != CURLE_OK else { return }
    throw CurlErrorMapping.error(code, exchange: exchange, detail: "setting option \(option.rawValue)")
  }
}
