import CGooseFSHTTP

/// libcurl's C callbacks, all run on the multi thread. Each gets the transfer back from the
/// opaque pointer set as CURLOPT_HEADERDATA/WRITEDATA/READDATA/SEEKDATA: an unretained view of
/// the reference the multi loop retained when it attached the transfer. The loop releases that
/// reference only after curl_multi_remove_handle, after which libcurl makes no more callbacks
/// for the handle, so the view is always of a live object.
enum CurlCallbacks {
  static let header: goosefs_curl_data_callback = { data, size, count, context in
    let length = size * count
    transfer(context).receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
  }

  static let write: goosefs_curl_data_callback = { data, size, count, context in
    let length = size * count
    switch transfer(context).receiveBody(UnsafeRawBufferPointer(start: data, count: length)) {
    case .accepted: return length
    case .pause: return Int(CURL_WRITEFUNC_PAUSE)
    }
  }

  static let read: goosefs_curl_data_callback = { data, size, count, context in
    transfer(context).readUpload(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
  }

  static let seek: curl_seek_callback = { context, offset, origin in
    guard origin == SEEK_SET else { return CURL_SEEKFUNC_CANTSEEK }
    return transfer(context).seekUpload(to: Int(offset)) ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL
  }

  private static func transfer(_ context: UnsafeMutableRawPointer?) -> CurlTransfer {
    Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
  }
}
