#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A mutex-protected value plus a condition variable, for the places where a thread must *sleep*
/// until another changes the state: the writer thread waiting for work, `flush()` and a full
/// queue waiting for the writer. `Synchronization.Mutex` has no condition variable. Blocking is
/// intended: the writer is a dedicated thread, and the other waits last at most one group commit
/// (callers on the cooperative pool should prefer the async `waitUntilDurable`).
final class ConditionLock<State>: @unchecked Sendable {
  // @unchecked: `state` is only touched with `mutex` held; the pthread objects live on the heap
  // so they never move, as POSIX requires.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var state: State

  init(_ initial: State) {
    state = initial
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
    condition.deallocate()
  }

  /// Runs `body` with the lock held, first sleeping until `isReady` holds. Every call wakes all
  /// sleepers on the way out: the few threads that ever sleep here (the writer, a blocked
  /// appender, a flusher) re-check their own condition, which is simpler than tracking who waits
  /// for what, and a broadcast with nobody asleep costs next to nothing.
  func withLock<Result>(
    waitingUntil isReady: (State) -> Bool = { _ in true },
    _ body: (inout State) throws -> Result
  ) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer {
      pthread_cond_broadcast(condition)
      pthread_mutex_unlock(mutex)
    }
    while !isReady(state) {
      pthread_cond_wait(condition, mutex)
    }
    return try body(&state)
  }
}
