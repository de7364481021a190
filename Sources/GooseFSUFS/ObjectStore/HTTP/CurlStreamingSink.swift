import NIOCore
import Synchronization

/// Hands a streamed response to an async consumer with backpressure. Bytes from the socket are
/// appended to one pending buffer; once it holds `limit` bytes, further bytes are refused
/// (`.pause`, so libcurl stops reading the socket) until the consumer takes the buffer. The
/// bytes waiting for the consumer are therefore bounded by `limit` plus one receive chunk.
final class CurlStreamingSink: CurlResponseSink {
  enum Event {
    case head(HTTPResponseHead)
    case body(ByteBuffer)
    case end
    case failed(any Error)
  }

  private struct State {
    var head: HTTPResponseHead?
    var headTaken = false
    var pending = ByteBuffer()
    /// The multi thread paused the transfer; whoever drains `pending` must ask for a resume.
    var transferPaused = false
    var outcome: Result<Void, any Error>?
    var waiter: CheckedContinuation<Void, Never>?

    var hasEvent: Bool {
      (head != nil && !headTaken) || pending.readableBytes > 0 || outcome != nil
    }
  }

  private let limit: Int
  private let state = Mutex(State())

  init(limit: Int) {
    self.limit = max(limit, 1)
  }

  func receiveHead(_ head: HTTPResponseHead) {
    let waiter = state.withLock { state in
      state.head = head
      return state.waiter.take()
    }
    waiter?.resume()
  }

  func receiveBody(_ bytes: UnsafeRawBufferPointer) -> CurlBodyDisposition {
    let (disposition, waiter) = state.withLock { state -> (CurlBodyDisposition, CheckedContinuation<Void, Never>?) in
      // After cancellation nobody reads; swallow bytes until the multi thread removes the handle.
      guard state.outcome == nil else { return (.accepted, nil) }
      if state.pending.readableBytes >= limit {
        state.transferPaused = true
        return (.pause, nil)
      }
      state.pending.writeBytes(bytes)
      return (.accepted, state.waiter.take())
    }
    waiter?.resume()
    return disposition
  }

  func finish(_ outcome: Result<Void, any Error>) {
    let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard state.outcome == nil else { return nil }
      state.outcome = outcome
      return state.waiter.take()
    }
    waiter?.resume()
  }

  /// The next thing for the consumer, waiting for it if needed. `resumeTransfer` is true when
  /// this call drained a buffer that had paused the transfer: the caller must resume it.
  func next() async -> (event: Event, resumeTransfer: Bool) {
    while true {
      if let ready = takeEvent() { return ready }
      await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
        let ready = state.withLock { state in
          if state.hasEvent { return true }
          state.waiter = waiter
          return false
        }
        if ready { waiter.resume() }
      }
    }
  }

  private func takeEvent() -> (event: Event, resumeTransfer: Bool)? {
    state.withLock { state in
      // A failure (including cancellation) wins over bytes still queued: they are useless now.
      if case .failure(let error)? = state.outcome { return (.failed(error), false) }
      if let head = state.head, !state.headTaken {
        state.headTaken = true
        return (.head(head), false)
      }
      if state.pending.readableBytes > 0 {
        let chunk = state.pending
        state.pending = ByteBuffer()
        let resume = state.transferPaused
        state.transferPaused = false
        return (.body(chunk), resume)
      }
      if state.outcome != nil {
        return state.head == nil
          ? (.failed(HTTPTransportError(.other, "the server sent no HTTP response head")), false) : (.end, false)
      }
      return nil
    }
  }
}
