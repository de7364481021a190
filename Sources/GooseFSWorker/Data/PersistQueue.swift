import GooseFSRPC
import Synchronization

/// Files the master asked this worker to write to the under store, executed one after another
/// (persisting is bulk I/O; running several at once only splits the same bandwidth). A file
/// already queued or running is not queued twice.
final class PersistQueue: Sendable {
  private let stream: AsyncStream<Goosefs_Grpc_PersistCommand>
  private let continuation: AsyncStream<Goosefs_Grpc_PersistCommand>.Continuation
  private let queued = Mutex<Set<Int64>>([])

  init() {
    (stream, continuation) = AsyncStream.makeStream(of: Goosefs_Grpc_PersistCommand.self)
  }

  func submit(_ job: Goosefs_Grpc_PersistCommand) {
    guard queued.withLock({ $0.insert(job.fileID).inserted }) else { return }
    continuation.yield(job)
  }

  func run(executor: PersistExecutor) async {
    for await job in stream {
      await executor.persist(job)
      _ = queued.withLock { $0.remove(job.fileID) }
    }
  }

  func finishInput() { continuation.finish() }
}
