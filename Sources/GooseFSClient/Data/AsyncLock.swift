import Synchronization

/// Mutual exclusion across suspension points, first come first served. (An actor would not do:
/// it lets a second call in while the first awaits the network.)
public final class AsyncLock: Sendable {
  private struct State {
    var locked = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = Mutex(State())

  public init() {}

  public func withLock<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
    await lock()
    defer { unlock() }
    return try await body()
  }

  /// Runs `body` under the lock if nobody holds it, without waiting; nil when somebody does.
  public func withLockIfFree<T>(_ body: () throws -> T) rethrows -> T? {
    let free = state.withLock { state -> Bool in
      guard !state.locked else { return false }
      state.locked = true
      return true
    }
    guard free else { return nil }
    defer { unlock() }
    return try body()
  }

  private func lock() async {
    let free = state.withLock { state -> Bool in
      guard !state.locked else { return false }
      state.locked = true
      return true
    }
    if free { return }
    await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
      let acquired = state.withLock { state -> Bool in
        guard state.locked else {
          state.locked = true
          return true
        }
        state.waiters.append(waiter)
        return false
      }
      if acquired { waiter.resume() }
    }
  }

  /// Hands the lock straight to the next waiter, if any.
  private func unlock() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard !state.waiters.isEmpty else {
        state.locked = false
        return nil
      }
      return state.waiters.removeFirst()
    }
    next?.resume()
  }
}
