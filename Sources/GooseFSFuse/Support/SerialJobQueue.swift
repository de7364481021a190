import Synchronization

/// Runs jobs one at a time in the order they were submitted. The kernel's requests on one open
/// file are submitted from the libfuse thread that received them, so reads and writes of a handle
/// run in arrival order (tasks started separately could overtake each other, turning a
/// sequential read into seeks). At most `limit` jobs wait or run (`goosefs.fuse.handle.queue.max`):
/// beyond that `submit` blocks its libfuse thread until the head job finishes, so one handle stuck
/// on a dead worker cannot pile up an unbounded backlog.
///
/// The task that runs the jobs starts with the first job: a handle answered entirely on libfuse
/// threads (a small cached file read from its block files) never starts one.
final class SerialJobQueue: Sendable {
  typealias Job = @Sendable () async -> Void
  private let continuation: AsyncStream<Job>.Continuation
  /// The jobs, until the first `submit` hands them to the task that runs them.
  private let jobs: Mutex<AsyncStream<Job>?>
  /// A slot per job submitted and not finished yet.
  private let slots: BlockingSlots

  init(limit: Int) {
    self.slots = BlockingSlots(limit: limit)
    // Unbounded only in type: `slots` keeps at most `limit` jobs in the stream and running.
    let (jobs, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
    self.continuation = continuation
    self.jobs = Mutex(jobs)
  }

  /// Queues `job`; waits (blocking the thread) while the queue is full. False when the queue
  /// was finished (the handle is released): the job will never run.
  @available(*, noasync, message: "blocks its thread; libfuse threads only")
  func submit(_ job: @escaping Job) -> Bool {
    slots.acquire()
    guard case .terminated = continuation.yield(job) else {
      startIfNeeded()
      return true
    }
    slots.release()
    return false
  }

  /// True when no job waits or runs (the kernel sends a handle's release after its requests
  /// were answered, but a job may still be finishing after its reply).
  var isIdle: Bool { slots.usage.inUse == 0 }

  /// Jobs already submitted still run; then the queue's task ends.
  func finish() { continuation.finish() }

  private func startIfNeeded() {
    guard let jobs = jobs.withLock({ jobs in defer { jobs = nil }; return jobs }) else { return }
    let slots = slots
    Task {
      for await job in jobs {
        await job()
        slots.release()
      }
    }
  }
}
