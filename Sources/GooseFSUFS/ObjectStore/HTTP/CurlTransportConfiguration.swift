import GooseFSCore

/// Settings of `CurlHTTPTransport`. The defaults suit one process talking to one object store.
public struct CurlTransportConfiguration: Sendable {
  /// Open connections at most, over all hosts; transfers beyond it wait inside libcurl.
  public var maxConnections: Int
  /// Open connections at most to one host (an object store endpoint is usually one host).
  public var maxConnectionsPerHost: Int
  /// Time allowed for TCP and TLS connection set-up.
  public var connectTimeout: Duration
  /// Sends TCP keepalive probes on idle pooled connections, so dead ones are noticed.
  public var tcpKeepAlive: Bool
  /// Idle time before the first keepalive probe (and between probes).
  public var tcpKeepAliveInterval: Duration
  /// Checks the server certificate and host name. Only a test against a self-signed server
  /// should turn this off.
  public var verifyTLSPeer: Bool
  /// A PEM bundle of trusted CAs, instead of the system's.
  public var caBundlePath: String?
  /// Bytes of a streamed body that may wait for the consumer before the socket stops being read.
  public var streamBufferSize: Int
  /// Sent as User-Agent unless a request carries its own.
  public var userAgent: String
  /// Easy handles kept for reuse between transfers (each keeps its TLS session and DNS caches).
  public var spareHandles: Int

  public init(
    maxConnections: Int = 64,
    maxConnectionsPerHost: Int = 64,
    connectTimeout: Duration = .seconds(10),
    tcpKeepAlive: Bool = true,
    tcpKeepAliveInterval: Duration = .seconds(60),
    verifyTLSPeer: Bool = true,
    caBundlePath: String? = nil,
    streamBufferSize: Int = 1 << 20,
    userAgent: String = "GooseFS-Swift/\(GooseFSVersion.current)",
    spareHandles: Int = 16
  ) {
    self.maxConnections = maxConnections
    self.maxConnectionsPerHost = maxConnectionsPerHost
    self.connectTimeout = connectTimeout
    self.tcpKeepAlive = tcpKeepAlive
    self.tcpKeepAliveInterval = tcpKeepAliveInterval
    self.verifyTLSPeer = verifyTLSPeer
    self.caBundlePath = caBundlePath
    self.streamBufferSize = streamBufferSize
    self.userAgent = userAgent
    self.spareHandles = spareHandles
  }

  /// What libcurl reads from the socket at once (CURLOPT_BUFFERSIZE): large enough for few
  /// callbacks per megabyte, small enough that one chunk over the stream buffer stays small.
  var receiveChunkSize: Int {
    min(max(streamBufferSize / 4, 16 * 1024), 512 * 1024)
  }
}

extension Duration {
  /// Whole milliseconds, rounded up so that a tiny positive duration never becomes "no limit" (0).
  var curlMilliseconds: Int {
    let (seconds, attoseconds) = components
    let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int(clamping: max(milliseconds, 1))
  }

  var secondsValue: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
