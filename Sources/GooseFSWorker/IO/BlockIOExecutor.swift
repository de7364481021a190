import GooseFSCore
import NIOPosix

/// The dedicated threads on which the worker's block store touches disk: opening, writing,
/// fsyncing, renaming and deleting block files, moves between tiers, eviction and reads for
/// persisting. It is the only way async code reaches the store's synchronous file work (the
/// store's blocking methods are `noasync`; their async forms hop here).
///
/// Why not the cooperative pool: it has one thread per core (two here), so a single fsync of a
/// slow disk would stall half of all async work in the process, including reads of other,
/// cached blocks. Why not one thread per request: the thread count bounds how many syscalls hit
/// the disks at once, which is the limit a disk wants; callers beyond it wait, suspended.
///
/// Block bytes sent to clients do not come through here: cached READs are sent with sendfile by
/// the event loops, short-circuit readers read the files themselves.
public final class BlockIOExecutor: Sendable {
  private let pool: NIOThreadPool
  public let threadCount: Int

  public init(threads: Int) {
    precondition(threads > 0, "the block I/O executor needs at least one thread")
    threadCount = threads
    pool = NIOThreadPool(numberOfThreads: threads)
    pool.start()
  }

  /// Runs `work` on one of the I/O threads and returns its result; the caller is suspended
  /// meanwhile. Fails with `unavailable` once the executor is shut down.
  public func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    do {
      return try await pool.runIfActive(work)
    } catch let error as NIOThreadPoolError.ThreadPoolInactive {
      throw GooseFSError(.unavailable, "The worker's block I/O threads are stopped (\(error)); the worker is shutting down.")
    }
  }

  /// Queues `work` without waiting for it: for clean-up that a synchronous caller triggers (the
  /// last lease of a removed block deletes its files). Once the executor is stopped, NIO hands the
  /// item back at once on the calling thread, and the work then runs there.
  public func submit(_ work: @escaping @Sendable () -> Void) {
    pool.submit { _ in work() }
  }

  /// Finishes queued work, then stops the threads.
  public func shutdown() async {
    do {
      try await pool.shutdownGracefully()
    } catch {
      // Only fails when already shut down, which is what the caller wants.
    }
  }
}
