import Synchronization

/// Counts heartbeats per worker and wakes callers waiting for a number of them.
final class HeartbeatWaiters: Sendable {
  private struct Waiter {
    var targets: [Int64: UInt64]
    var continuation: CheckedContinuation<Void, Never>
  }
  private struct State {
    var counts: [Int64: UInt64] = [:]
    var waiters: [Int: Waiter] = [:]
    var nextToken = 0
    /// Tokens released before their waiter registered (the timeout won the race).
    var released: Set<Int> = []
  }
  private let state = Mutex(State())

  func record(worker: Int64) {
    let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.counts[worker, default: 0] += 1
      var ready: [CheckedContinuation<Void, Never>] = []
      for (token, waiter) in state.waiters where waiter.targets.allSatisfy({ state.counts[$0.key, default: 0] >= $0.value }) {
        ready.append(waiter.continuation)
        state.waiters[token] = nil
      }
      return ready
    }
    for continuation in ready { continuation.resume() }
  }

  func wait(for workers: Set<Int64>, count: UInt64, timeout: Duration) async {
    guard !workers.isEmpty else { return }
    let token = state.withLock { state -> Int in
      defer { state.nextToken += 1 }
      return state.nextToken
    }
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
          let resumeNow = self.state.withLock { state -> Bool in
            if state.released.remove(token) != nil { return true }
            let targets = Dictionary(uniqueKeysWithValues: workers.map { ($0, state.counts[$0, default: 0] + count) })
            state.waiters[token] = Waiter(targets: targets, continuation: continuation)
            return false
          }
          if resumeNow { continuation.resume() }
        }
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        self.release(token)
      }
      await group.next()
      group.cancelAll()
      self.release(token)
    }
    state.withLock { _ = $0.released.remove(token) }
  }

  /// Resumes the waiter of `token` if it is still waiting (timeout, or the other task won).
  private func release(_ token: Int) {
    let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard let waiter = state.waiters.removeValue(forKey: token) else {
        state.released.insert(token)
        return nil
      }
      return waiter.continuation
    }
    continuation?.resume()
  }
}
