import GooseFSCore
import NIOPosix

/// The threads on which under-file-system adapters make blocking calls (syscalls, SDK calls).
///
/// Blocking a thread of Swift's cooperative pool stalls unrelated tasks, so adapters hop here.
/// One pool is started on first use and shared for the life of the process; it is never shut down.
public enum UFSBlockingPool {
  /// Eight threads: enough for several slow disks or network mounts to be read at once, while
  /// staying small next to the cooperative pool on a 2-core machine.
  public static let shared: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 8)
    pool.start()
    return pool
  }()

  /// Runs `body` on the shared pool. A task cancelled before its job starts gets `.cancelled`,
  /// so callers only ever see `GooseFSError`.
  public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    do {
      return try await shared.runIfActive(body)
    } catch let error as GooseFSError {
      throw error
    } catch is CancellationError {
      throw GooseFSError(.cancelled, "The under file system operation was cancelled.")
    } catch {
      throw GooseFSError(.internalError, "Under file system worker failed: \(error)")
    }
  }
}
