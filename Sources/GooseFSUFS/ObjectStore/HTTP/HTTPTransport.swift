import NIOCore

/// Sends HTTP requests to an object store. Implementations never block the cooperative thread
/// pool; transport failures are thrown as `HTTPTransportError` so callers can decide on retries.
public protocol HTTPTransport: Sendable {
  /// Sends `request` and buffers the whole response body (listings, errors, small objects).
  /// `timeout` bounds the whole exchange.
  func execute(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse

  /// Sends `request` and hands the response body to `onBody` chunk by chunk as it arrives, with
  /// backpressure: no further bytes are read from the socket beyond a bounded buffer until
  /// `onBody` returns. `onHead` is called once before any body chunk. `idleTimeout` bounds the
  /// time without progress (a stalled connection), not the whole transfer.
  func stream(
    _ request: HTTPRequest, idleTimeout: Duration,
    onHead: @escaping @Sendable (HTTPResponseHead) async throws -> Void,
    onBody: @escaping @Sendable (ByteBuffer) async throws -> Void
  ) async throws
}

/// What went wrong below HTTP. `isRetryable` covers what a retry may fix.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable {
    case connectFailed
    case connectionReset
    case timeout
    case tlsFailure
    case invalidRequest
    case other
  }

  public var kind: Kind
  /// For people; never contains request headers (they may carry credentials).
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var isRetryable: Bool {
    switch kind {
    case .connectFailed, .connectionReset, .timeout: true
    case .tlsFailure, .invalidRequest, .other: false
    }
  }

  public var description: String { message }
}
