import GooseFSRPC
import Synchronization

/// Files the master asked this worker to write to the under store, executed one after another
/// (persisting is bulk I/O; running several at once only splits the same bandwidth). A file
/// already queued or running is not queued twice.
///
/// At most `capacity` files wait or run (goosefs.worker.persist.queue.max); `submit` refuses the
/// rest, and the caller tells the master so, which hands the job out again later.
final class PersistQueue: Sendable {
  private let stream: AsyncStream<Goosefs_Grpc_PersistCommand>
  private let continuation: AsyncStream<Goosefs_Grpc_PersistCommand>.Continuation
  private let queued = Mutex<Set<Int64>>([])
  let capacity: Int

  init(capacity: Int) {
    precondition(capacity > 0, "the persist queue needs room for one job")
    self.capacity = capacity
    // The set above bounds what is buffered: a job is yielded only after it was counted there.
    (stream, continuation) = AsyncStream.makeStream(of: Goosefs_Grpc_PersistCommand.self)
  }

  enum Admission: Equatable {
    case queued
    /// Already waiting or running: nothing to do.
    case duplicate
    case full
  }

  func submit(_ job: Goosefs_Grpc_PersistCommand) -> Admission {
    let admission = queued.withLock { queued -> Admission in
      if queued.contains(job.fileID) { return .duplicate }
      guard queued.count < capacity else { return .full }
      queued.insert(job.fileID)
      return .queued
    }
    if admission == .queued { continuation.yield(job) }
    return admission
  }

  func run(executor: PersistExecutor) async {
    for await job in stream {
      await executor.persist(job)
      _ = queued.withLock { $0.remove(job.fileID) }
    }
  }

  func finishInput() { continuation.finish() }
}
