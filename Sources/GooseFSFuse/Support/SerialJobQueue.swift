/// Runs jobs one at a time in the order they were submitted. The kernel's requests on one open
/// file are submitted from the libfuse thread that received them, so reads and writes of a handle
/// run in arrival order (tasks started separately could overtake each other, turning a
/// sequential read into seeks). At most `limit` jobs wait or run (`goosefs.fuse.handle.queue.max`):
/// beyond that `submit` blocks its libfuse thread until the head job finishes, so one handle stuck
/// on a dead worker cannot pile up an unbounded backlog.
final class SerialJobQueue: Sendable {
  typealias Job = @Sendable () async -> Void
  private let continuation: AsyncStream<Job>.Continuation
  private let slots: BlockingSlots

  init(limit: Int) {
    let slots = BlockingSlots(limit: limit)
    self.slots = slots
    // Unbounded only in type: `slots` keeps at most `limit` jobs in the stream and running.
    let (jobs, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
    self.continuation = continuation
    Task {
      for await job in jobs {
        await job()
        slots.release()
      }
    }
  }

  /// Queues `job`; waits (blocking the thread) while the queue is full. False when the queue
  /// was finished (the handle is released): the job will never run.
  @available(*, noasync, message: "blocks its thread; libfuse threads only")
  func submit(_ job: @escaping Job) -> Bool {
    slots.acquire()
    guard case .terminated = continuation.yield(job) else { return true }
    slots.release()
    return false
  }

  /// Jobs already submitted still run; then the queue's task ends.
  func finish() { continuation.finish() }
}
