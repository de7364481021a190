import Logging
import NIOCore

/// `HTTPTransport` over libcurl. One dedicated thread runs libcurl's multi interface for all
/// transfers (see `CurlMultiLoop`), so no call ever blocks the cooperative pool, and connections
/// are reused through the multi handle's connection cache.
public final class CurlHTTPTransport: HTTPTransport {
  private let loop: CurlMultiLoop
  private let configuration: CurlTransportConfiguration
  private let logger: Logger

  public init(configuration: CurlTransportConfiguration, logger: Logger) throws {
    self.configuration = configuration
    self.logger = logger
    loop = try CurlMultiLoop(configuration: configuration, logger: logger)
    loop.start()
  }

  deinit {
    // No call can be in flight: each holds the transport. The thread fails nothing and exits.
    loop.shutdown()
  }

  public func execute(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
    logger.debug("HTTP request", metadata: ["request": "\(request.redactedDescription)"])
    let sink = CurlBufferedSink()
    let transfer = try CurlTransfer(request, limit: .total(timeout), sink: sink)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        sink.arm(continuation)
        loop.submit(.start(transfer))
      }
    } onCancel: {
      loop.submit(.cancel(transfer))
    }
  }

  public func stream(
    _ request: HTTPRequest, idleTimeout: Duration,
    onHead: @escaping @Sendable (HTTPResponseHead) async throws -> Void,
    onBody: @escaping @Sendable (ByteBuffer) async throws -> Void
  ) async throws {
    logger.debug("HTTP stream", metadata: ["request": "\(request.redactedDescription)"])
    let sink = CurlStreamingSink(limit: configuration.streamBufferSize)
    let transfer = try CurlTransfer(request, limit: .idle(idleTimeout), sink: sink)
    loop.submit(.start(transfer))
    do {
      try await withTaskCancellationHandler {
        try await deliver(sink, of: transfer, onHead: onHead, onBody: onBody)
      } onCancel: {
        loop.submit(.cancel(transfer))
      }
    } catch {
      // The consumer threw (or the transfer failed, where this is a no-op): stop reading now
      // rather than let the transfer run on into a buffer nobody drains.
      loop.submit(.cancel(transfer))
      throw error
    }
  }

  private func deliver(
    _ sink: CurlStreamingSink, of transfer: CurlTransfer,
    onHead: @Sendable (HTTPResponseHead) async throws -> Void,
    onBody: @Sendable (ByteBuffer) async throws -> Void
  ) async throws {
    while true {
      let (event, resumeTransfer) = await sink.next()
      if resumeTransfer {
        // Resume before handing the bytes over: the next chunk arrives while the consumer works.
        loop.submit(.resume(transfer))
      }
      switch event {
      case .head(let head): try await onHead(head)
      case .body(let chunk): try await onBody(chunk)
      case .end: return
      case .failed(let error): throw error
      }
    }
  }
}
