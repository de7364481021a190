/// Where a transfer's response goes: buffered whole (`execute`) or streamed (`stream`).
/// `receiveHead` and `receiveBody` run on the multi thread inside libcurl callbacks and must not
/// block; `finish` runs once, on the multi thread (or on the submitting thread when the transport
/// has shut down before the transfer started).
protocol CurlResponseSink: AnyObject, Sendable {
  func receiveHead(_ head: HTTPResponseHead)
  func receiveBody(_ bytes: UnsafeRawBufferPointer) -> CurlBodyDisposition
  func finish(_ outcome: Result<Void, any Error>)
}

enum CurlBodyDisposition {
  /// The bytes were taken.
  case accepted
  /// The bytes were not taken: pause receiving until the consumer catches up (libcurl hands the
  /// same bytes again after the transfer is resumed).
  case pause
}
