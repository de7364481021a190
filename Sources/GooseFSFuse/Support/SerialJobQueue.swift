/// Runs jobs one at a time in the order they were submitted. The kernel's requests on one open
/// file are submitted from the libfuse thread that received them, so reads and writes of a handle
/// run in arrival order (tasks started separately could overtake each other, turning a
/// sequential read into seeks).
final class SerialJobQueue: Sendable {
  typealias Job = @Sendable () async -> Void
  private let continuation: AsyncStream<Job>.Continuation

  init() {
    let (jobs, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
    self.continuation = continuation
    Task {
      for await job in jobs { await job() }
    }
  }

  func submit(_ job: @escaping Job) { continuation.yield(job) }

  /// Jobs already submitted still run; then the queue's task ends.
  func finish() { continuation.finish() }
}
