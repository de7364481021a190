import Dispatch
import Foundation
import Synchronization

/// A fixed set of dedicated threads for blocking syscalls, so that pread/pwrite on a slow disk never
/// occupy a thread of the Swift cooperative pool (which has one thread per core: two blocked reads
/// would stall every task in the process here).
///
/// Jobs run in submission order. The queue is bounded only by its callers' concurrency (each queued
/// job is one suspended task waiting for its answer), which the data server limits.
final class BlockingThreadPool: Sendable {
  typealias Job = @Sendable () -> Void

  private struct State {
    var jobs: [Job?] = []
    var head = 0
    var stopping = false

    mutating func pop() -> Job? {
      guard head < jobs.count else { return nil }
      let job = jobs[head]
      jobs[head] = nil
      head += 1
      // Compact once the consumed prefix dominates, keeping pops O(1) amortised.
      if head > 64 && head * 2 > jobs.count {
        jobs.removeFirst(head)
        head = 0
      }
      return job
    }
  }

  private let state = Mutex(State())
  /// Counts queued jobs (plus one wake-up per thread at shutdown); threads park on it.
  private let available = DispatchSemaphore(value: 0)
  private let exited = DispatchSemaphore(value: 0)
  let threadCount: Int

  init(threads: Int, name: String) {
    precondition(threads > 0, "a thread pool needs at least one thread")
    threadCount = threads
    for index in 0..<threads {
      // The threads keep the pool alive until `shutdown` stops them; its owner calls that.
      let thread = Thread { [self] in runWorker() }
      thread.name = "\(name)-\(index)"
      thread.start()
    }
  }

  private func runWorker() {
    while true {
      available.wait()
      let next: Job?? = state.withLock { state in
        if let job = state.pop() { return .some(job) }
        return state.stopping ? .none : .some(nil)
      }
      guard let job = next else { break }
      job?()
    }
    exited.signal()
  }

  /// Queues `job`; returns false (without running it) once the pool is stopping.
  @discardableResult
  func submit(_ job: @escaping Job) -> Bool {
    let accepted = state.withLock { state in
      guard !state.stopping else { return false }
      state.jobs.append(job)
      return true
    }
    if accepted { available.signal() }
    return accepted
  }

  /// Lets queued jobs finish, then stops and joins every thread. Idempotent.
  func shutdown() {
    let first = state.withLock { state in
      defer { state.stopping = true }
      return !state.stopping
    }
    guard first else { return }
    for _ in 0..<threadCount { available.signal() }
    for _ in 0..<threadCount { exited.wait() }
  }
}
