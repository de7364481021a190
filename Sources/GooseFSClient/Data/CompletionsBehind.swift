import GooseFSCore
import GooseFSRPC
import NIOCore
import Synchronization

/// Completions of written files sent to the master after the writer was told they are done
/// (write-behind: `FileOutStream.closeCompletingLater`). A file's data is on its worker when it
/// is queued here; what is left is the master's `completeFile` (and `schedulePersist` for
/// ASYNC_THROUGH), one job at a time in the order the files were closed, starting at once.
///
/// The client stays consistent with itself: every call of this client that names a path waits
/// first for the queued completions of that path (or, for calls on a folder, under it), so this
/// client never sees its own file incomplete. Other clients see the file incomplete until its
/// job ran (a round trip, unless the master is unreachable). A job that fails after the
/// connection's retries is logged and kept for `waitForCompletions` of its path (fsync).
final class CompletionsBehind: Sendable {
  struct Job: Sendable {
    var id: Int
    var path: String
    var length: Int64
    var ufsFingerprint: String
    var schedulePersist: Bool
    /// Whose close queued it: the master checks the same user as for a completion in place.
    var caller: CallerIdentity?
  }

  private struct State {
    var queue = CircularBuffer<Job>()
    var nextID = 1
    /// Every job with a smaller id has run.
    var doneBelow = 1
    var draining = false
    var waiters: [(untilID: Int, continuation: CheckedContinuation<Void, Never>)] = []
    var failures: [String: GooseFSError] = [:]
  }

  private let state = Mutex(State())
  /// Jobs queued at most; closes beyond that wait (backpressure when the master is slow or away).
  static let maxQueued = 1024
  private let room = TaskSemaphore(count: maxQueued)

  /// Queues the completion; returns once it is queued. `run` performs one job.
  func enqueue(
    path: String, length: Int64, ufsFingerprint: String, schedulePersist: Bool,
    run: @escaping @Sendable (Job) async throws -> Void
  ) async {
    await room.acquire()
    queue(path: path, length: length, ufsFingerprint: ufsFingerprint, schedulePersist: schedulePersist, run: run)
  }

  /// `enqueue` without waiting: false (nothing queued) when the queue is full.
  func enqueueNow(
    path: String, length: Int64, ufsFingerprint: String, schedulePersist: Bool,
    run: @escaping @Sendable (Job) async throws -> Void
  ) -> Bool {
    guard room.tryAcquire() else { return false }
    queue(path: path, length: length, ufsFingerprint: ufsFingerprint, schedulePersist: schedulePersist, run: run)
    return true
  }

  /// Queues a job whose unit of `room` is taken.
  private func queue(
    path: String, length: Int64, ufsFingerprint: String, schedulePersist: Bool,
    run: @escaping @Sendable (Job) async throws -> Void
  ) {
    let start = state.withLock { state -> Bool in
      state.queue.append(
        Job(
          id: state.nextID, path: path, length: length, ufsFingerprint: ufsFingerprint, schedulePersist: schedulePersist,
          caller: MasterConnection.actingCaller))
      state.nextID += 1
      guard !state.draining else { return false }
      state.draining = true
      return true
    }
    // One drain task at a time, ending when the queue is empty; not cancelled: queued
    // completions are acknowledged closes, and the unmount waits for them (`failure(under:)`).
    if start { Task { await drain(run) } }
  }

  /// Waits until the queued completions of `path` — and with `subtree`, of paths under it — ran.
  func settle(_ path: String, subtree: Bool) async {
    let target = state.withLock { state -> Int? in
      guard !state.queue.isEmpty else { return nil }
      return state.queue.last(where: { Self.matches($0.path, path, subtree: subtree) })?.id
    }
    guard let target else { return }
    await withCheckedContinuation { continuation in
      let ready = state.withLock { state -> Bool in
        guard state.doneBelow <= target else { return true }
        state.waiters.append((target, continuation))
        return false
      }
      if ready { continuation.resume() }
    }
  }

  /// `settle`, then the failure of a completion of `path` or under it since the last call, if any.
  func failure(under path: String) async -> GooseFSError? {
    await settle(path, subtree: true)
    return state.withLock { state in
      guard let key = state.failures.keys.first(where: { Self.matches($0, path, subtree: true) }) else { return nil }
      return state.failures.removeValue(forKey: key)
    }
  }

  private func drain(_ run: @escaping @Sendable (Job) async throws -> Void) async {
    while let job = state.withLock({ state -> Job? in
      guard let job = state.queue.first else {
        state.draining = false
        return nil
      }
      return job
    }) {
      var failure: GooseFSError?
      do {
        try await MasterConnection.$actingCaller.withValue(job.caller) { try await run(job) }
      } catch {
        failure = RPCErrorMapping.goosefsError(from: error)
      }
      let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
        state.queue.removeFirst()
        state.doneBelow = job.id + 1
        if let failure { state.failures[job.path] = failure }
        let (ready, waiting) = state.waiters.partitioned { $0.untilID < state.doneBelow }
        state.waiters = waiting
        return ready.map(\.continuation)
      }
      room.release()
      for continuation in woken { continuation.resume() }
    }
  }

  static func matches(_ candidate: String, _ path: String, subtree: Bool) -> Bool {
    if candidate == path { return true }
    guard subtree else { return false }
    return path == "/" || candidate.hasPrefix(path + "/")
  }
}

extension Array {
  /// The elements that satisfy `belongs`, and the others, each in their order.
  fileprivate func partitioned(_ belongs: (Element) -> Bool) -> ([Element], [Element]) {
    var yes: [Element] = []
    var no: [Element] = []
    for element in self {
      if belongs(element) { yes.append(element) } else { no.append(element) }
    }
    return (yes, no)
  }
}

/// A counting semaphore for tasks (no thread ever blocks): `acquire` suspends while no unit is free.
final class TaskSemaphore: Sendable {
  private struct State {
    var free: Int
    var waiters = CircularBuffer<CheckedContinuation<Void, Never>>()
  }

  private let state: Mutex<State>

  init(count: Int) { state = Mutex(State(free: count)) }

  /// A unit if one is free now, without waiting.
  func tryAcquire() -> Bool {
    state.withLock { state -> Bool in
      guard state.free > 0 else { return false }
      state.free -= 1
      return true
    }
  }

  func acquire() async {
    let taken = state.withLock { state -> Bool in
      guard state.free > 0 else { return false }
      state.free -= 1
      return true
    }
    if taken { return }
    await withCheckedContinuation { continuation in
      let granted = state.withLock { state -> Bool in
        if state.free > 0 {
          state.free -= 1
          return true
        }
        state.waiters.append(continuation)
        return false
      }
      if granted { continuation.resume() }
    }
  }

  func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      if let waiter = state.waiters.popFirst() { return waiter }
      state.free += 1
      return nil
    }
    next?.resume()
  }
}
