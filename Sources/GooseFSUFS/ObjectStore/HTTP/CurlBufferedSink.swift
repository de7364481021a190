import NIOCore
import Synchronization

/// Collects a whole response for `execute` and resumes the waiting caller once it is complete.
final class CurlBufferedSink: CurlResponseSink, @unchecked Sendable {
  // Multi-thread only (written by libcurl callbacks, read in `finish`). This is why the class is
  // @unchecked: the continuation is the only state shared across threads, and it is locked.
  private var head: HTTPResponseHead?
  private var body = ByteBuffer()

  private let continuation = Mutex<CheckedContinuation<HTTPResponse, any Error>?>(nil)

  /// Bodies larger than this still work; the up-front reservation from Content-Length is capped
  /// so that a bogus header cannot make us allocate gigabytes before a byte arrives.
  private static let maximumReservation = 64 << 20

  /// Must be called before the transfer is submitted, so `finish` always finds the caller.
  func arm(_ waiter: CheckedContinuation<HTTPResponse, any Error>) {
    continuation.withLock { $0 = waiter }
  }

  func receiveHead(_ head: HTTPResponseHead) {
    self.head = head
    if let length = head.header("Content-Length").flatMap(Int.init), length > 0 {
      body.reserveCapacity(min(length, Self.maximumReservation))
    }
  }

  func receiveBody(_ bytes: UnsafeRawBufferPointer) -> CurlBodyDisposition {
    body.writeBytes(bytes)
    return .accepted
  }

  func finish(_ outcome: Result<Void, any Error>) {
    guard let waiter = continuation.withLock({ $0.take() }) else { return }
    switch outcome {
    case .success:
      if let head {
        let response = HTTPResponse(head: head, body: body)
        body = ByteBuffer()  // keeps the caller's buffer uniquely referenced (no copy on write)
        waiter.resume(returning: response)
      } else {
        waiter.resume(throwing: HTTPTransportError(.other, "the server sent no HTTP response head"))
      }
    case .failure(let error):
      waiter.resume(throwing: error)
    }
  }
}
