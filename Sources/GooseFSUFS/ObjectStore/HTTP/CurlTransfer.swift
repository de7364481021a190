import NIOCore

/// One request while libcurl works on it: what to send (immutable, built on the caller's
/// thread) and the progress of the exchange (touched only on the multi thread, from the loop
/// and from libcurl's callbacks, which run on that thread too). That confinement is why the
/// class is @unchecked Sendable: it crosses threads once, through the loop's locked inbox.
final class CurlTransfer: @unchecked Sendable {
  enum Limit {
    /// `execute`: the whole exchange (CURLOPT_TIMEOUT_MS).
    case total(Duration)
    /// `stream`: time without progress, not counting time paused for the consumer.
    case idle(Duration)
  }

  // MARK: Immutable

  let method: String
  let url: String
  /// "Name: value" lines exactly as given, plus the blanks that stop libcurl adding its own
  /// headers (see `init`).
  let headerLines: [String]
  let hasUserAgent: Bool
  /// The body length when a body is uploaded (PUT and POST always upload, possibly 0 bytes).
  let uploadLength: Int?
  let limit: Limit
  /// Names the exchange in error messages: method, host and path, never query or headers.
  let exchange: String
  let sink: any CurlResponseSink

  // MARK: Multi thread only

  enum Phase { case waiting, running, finished }
  var phase = Phase.waiting
  /// A cancellation arrived before the transfer started.
  var cancelledBeforeStart = false
  /// The write callback paused the transfer for backpressure; idle time does not count then.
  var pausedForConsumer = false
  var lastActivity = ContinuousClock.now
  private var upload: ByteBuffer
  private let uploadStart: Int
  private var parser = CurlHeaderParser()

  init(_ request: HTTPRequest, limit: Limit, sink: any CurlResponseSink) throws(HTTPTransportError) {
    method = request.method.uppercased()
    url = request.url
    exchange = request.exchangeDescription
    self.limit = limit
    self.sink = sink
    guard request.scheme == "http" || request.scheme == "https" else {
      throw HTTPTransportError(.invalidRequest, "\(exchange): unsupported scheme \(request.scheme)")
    }
    guard !method.isEmpty, method.utf8.allSatisfy(Self.isTokenByte) else {
      throw HTTPTransportError(.invalidRequest, "\(exchange): invalid method")
    }
    var lines: [String] = []
    var present = Set<String>()
    for header in request.headers {
      // A CR or LF would let a value start a header (or a request) of its own.
      guard !header.name.isEmpty, header.name.utf8.allSatisfy(Self.isTokenByte),
        !header.value.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 0 })
      else {
        throw HTTPTransportError(.invalidRequest, "\(exchange): invalid header \(header.name.debugDescription)")
      }
      // "Name:" would tell libcurl to remove the header; "Name;" sends it with an empty value.
      lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
      present.insert(header.name.lowercased())
    }
    // libcurl adds these on its own unless told not to; they would change a signed request or
    // (Expect: 100-continue) cost a round trip per upload.
    for name in ["Expect", "Accept", "Content-Type"] where !present.contains(name.lowercased()) {
      lines.append("\(name):")
    }
    headerLines = lines
    hasUserAgent = present.contains("user-agent")
    let body = request.body ?? ByteBuffer()
    uploadLength = (request.body != nil || method == "PUT" || method == "POST") ? body.readableBytes : nil
    upload = body
    uploadStart = body.readerIndex
  }

  // MARK: Callbacks (multi thread)

  func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
    lastActivity = .now
    if let head = parser.consume(bytes) {
      sink.receiveHead(head)
    }
  }

  func receiveBody(_ bytes: UnsafeRawBufferPointer) -> CurlBodyDisposition {
    lastActivity = .now
    let disposition = sink.receiveBody(bytes)
    if disposition == .pause { pausedForConsumer = true }
    return disposition
  }

  /// Copies the next upload bytes into libcurl's buffer; 0 ends the body.
  func readUpload(into destination: UnsafeMutableRawBufferPointer) -> Int {
    lastActivity = .now
    let count = min(destination.count, upload.readableBytes)
    guard count > 0 else { return 0 }
    upload.readWithUnsafeReadableBytes { source in
      destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[..<count]))
      return count
    }
    return count
  }

  /// libcurl rewinds when it must send the request again (a reused connection that turned out
  /// dead). Only absolute positions within the body are possible.
  func seekUpload(to offset: Int) -> Bool {
    guard let uploadLength, offset >= 0, offset <= uploadLength else { return false }
    upload.moveReaderIndex(to: uploadStart + offset)
    return true
  }

  private static func isTokenByte(_ byte: UInt8) -> Bool {
    // RFC 9110 tchar: visible ASCII except delimiters.
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    default:
      "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
  }
}
