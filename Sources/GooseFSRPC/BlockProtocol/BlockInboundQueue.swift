import GooseFSCore
import NIOConcurrencyHelpers
import NIOCore

/// The client's receive side: frames decoded on the event loop wait here for the task that reads
/// the response.
///
/// Backpressure: at most `highWatermark` frames wait; then `BlockClientInboundHandler` stops
/// reading the socket until the consumer has taken them down to `lowWatermark`, so the consumer's
/// pace limits how fast the worker can send. (NIOAsyncChannel does the same, but only offers its
/// stream inside a scope, and a pooled connection outlives any one caller's scope.)
///
/// Idle timeout: while a consumer waits on an empty queue a timer runs; if no frame arrives in
/// time the wait fails with `.deadlineExceeded` naming the worker and the connection is closed.
/// The timer never runs while frames are queued or nobody waits, so a slow consumer is never
/// mistaken for a silent worker.
final class BlockInboundQueue: Sendable {
  private struct State {
    var frames = CircularBuffer<BlockFrame>(initialCapacity: 16)
    var waiter: CheckedContinuation<BlockFrame, any Error>?
    var waitNumber: UInt64 = 0
    var idleTimer: Scheduled<Void>?
    /// Why the connection ended; reported once the frames received before that are consumed.
    var failure: GooseFSError?
    var readingPaused = false
  }

  let peer: String
  private let channel: any Channel
  private let highWatermark: Int
  private let lowWatermark: Int
  // NIOLockedValueBox rather than Synchronization.Mutex in this folder: it is a pthread mutex,
  // which ThreadSanitizer understands; Mutex on Linux is a bare futex that TSan reports as races.
  private let state = NIOLockedValueBox(State())

  init(channel: any Channel, peer: String, highWatermark: Int, lowWatermark: Int) {
    precondition(lowWatermark >= 0 && highWatermark > lowWatermark, "inbound watermarks must satisfy 0 <= low < high")
    self.channel = channel
    self.peer = peer
    self.highWatermark = highWatermark
    self.lowWatermark = lowWatermark
  }

  // MARK: Event-loop side

  func deliver(_ frame: BlockFrame) {
    let waiter = state.withLockedValue { state -> CheckedContinuation<BlockFrame, any Error>? in
      if let waiter = state.waiter {
        state.waiter = nil
        state.idleTimer?.cancel()
        state.idleTimer = nil
        return waiter
      }
      state.frames.append(frame)
      if state.frames.count >= highWatermark { state.readingPaused = true }
      return nil
    }
    waiter?.resume(returning: frame)
  }

  var isReadingPaused: Bool { state.withLockedValue { $0.readingPaused } }

  /// The connection ended (closed, failed, timed out, cancelled). The first reason wins.
  func finish(_ error: GooseFSError) {
    let waiter = state.withLockedValue { state -> CheckedContinuation<BlockFrame, any Error>? in
      if state.failure == nil { state.failure = error }
      state.idleTimer?.cancel()
      state.idleTimer = nil
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume(throwing: state.withLockedValue { $0.failure! })
  }

  // MARK: Consumer side

  /// The reason the connection ended, if it has.
  var failure: GooseFSError? { state.withLockedValue { $0.failure } }

  /// Frames received but not consumed.
  var bufferedCount: Int { state.withLockedValue { $0.frames.count } }

  /// A frame that has already arrived, without waiting; throws once the connection has ended and
  /// every frame received before that was consumed.
  func poll() throws -> BlockFrame? {
    let (frame, failure, resume) = state.withLockedValue { state -> (BlockFrame?, GooseFSError?, Bool) in
      guard let frame = state.frames.popFirst() else { return (nil, state.failure, false) }
      return (frame, nil, resumeIfDrained(&state))
    }
    if resume { channel.read() }
    if let failure { throw failure }
    return frame
  }

  /// The next frame, waiting at most `timeout` for one to arrive. Cancelling the waiting task
  /// closes the connection: a response cut short at an unknown frame can't be resumed.
  func next(timeout: TimeAmount) async throws -> BlockFrame {
    if let frame = try poll() { return frame }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        var resume = false
        let outcome = state.withLockedValue { state -> Result<BlockFrame, any Error>? in
          if let frame = state.frames.popFirst() {
            // Frames arrived since poll() looked.
            resume = resumeIfDrained(&state)
            return .success(frame)
          }
          if let failure = state.failure { return .failure(failure) }
          state.waiter = continuation
          state.waitNumber += 1
          let number = state.waitNumber
          state.idleTimer = channel.eventLoop.scheduleTask(in: timeout) { [self] in
            idleTimeoutFired(waitNumber: number, timeout: timeout)
          }
          return nil
        }
        if resume { channel.read() }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      finish(GooseFSError(.cancelled, "Request to worker \(peer) was cancelled"))
      channel.close(promise: nil)
    }
  }

  private func idleTimeoutFired(waitNumber: UInt64, timeout: TimeAmount) {
    let stillWaiting = state.withLockedValue { $0.waiter != nil && $0.waitNumber == waitNumber }
    guard stillWaiting else { return }
    finish(
      GooseFSError(
        .deadlineExceeded, "Worker \(peer) sent nothing for \(Self.describe(timeout)); closing the connection"))
    channel.close(promise: nil)
  }

  /// After a pop: true when reading was paused and the consumer has caught up.
  private func resumeIfDrained(_ state: inout State) -> Bool {
    guard state.readingPaused, state.frames.count <= lowWatermark else { return false }
    state.readingPaused = false
    return true
  }

  static func describe(_ amount: TimeAmount) -> String {
    let milliseconds = amount.nanoseconds / 1_000_000
    return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
  }
}

/// Event-loop half of `BlockInboundQueue`: hands decoded frames over, withholds socket reads while
/// the queue is full, and turns the connection's end into the queue's failure.
final class BlockClientInboundHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = BlockFrame
  typealias OutboundIn = BlockFrameOut
  typealias OutboundOut = BlockFrameOut

  private let queue: BlockInboundQueue

  init(queue: BlockInboundQueue) {
    self.queue = queue
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    queue.deliver(unwrapInboundIn(data))
  }

  func read(context: ChannelHandlerContext) {
    // While paused the read is dropped; the consumer calls channel.read() when it catches up.
    if !queue.isReadingPaused { context.read() }
  }

  func channelInactive(context: ChannelHandlerContext) {
    queue.finish(GooseFSError(.unavailable, "Worker \(queue.peer) closed the connection"))
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let failure =
      (error as? GooseFSError) ?? GooseFSError(.unavailable, "Connection to worker \(queue.peer) failed: \(error)")
    queue.finish(failure)
    context.close(promise: nil)
  }
}
