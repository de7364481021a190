import GooseFSCore

/// The hand-off between the threads that append and the writer thread: sequence assignment, the
/// bounded byte queue, durability bookkeeping and the failed state.
///
/// Appends frame their entry straight into `pending` (one growing buffer) so the writer can hand
/// the whole queue to a single `write`. The writer swaps `pending` with its previous, emptied
/// buffer: no copying, and both buffers keep their capacity between batches.
final class CommitQueue: Sendable {
  struct DurabilityWaiter {
    let sequence: UInt64
    let wake: @Sendable (Result<Void, any Error>) -> Void
  }

  struct State {
    var pending: [UInt8] = []
    var lastAssigned: UInt64
    var durable: UInt64
    var checkpointSequence: UInt64
    var failure: GooseFSError?
    var isClosing = false
    var writerExited = false
    var waiters: [DurabilityWaiter] = []
    var groupCommits = 0
    // A checkpoint asks the writer to roll and delete covered segments; tickets let the caller
    // wait for a pass that started after its request.
    var compactionThrough: UInt64?
    var compactionsRequested = 0
    var compactionsDone = 0
    var writerPausedForTesting = false
    var injectedFailureForTesting: GooseFSError?
  }

  /// One unit of work for the writer thread.
  struct Work {
    var lastSequence: UInt64
    var compactionThrough: UInt64?
    var compactionTicket: Int
    var injectedFailure: GooseFSError?
  }

  let maxQueuedBytes: Int
  let state: ConditionLock<State>

  init(lastSequence: UInt64, checkpointSequence: UInt64, maxQueuedBytes: Int) {
    self.maxQueuedBytes = maxQueuedBytes
    state = ConditionLock(
      State(lastAssigned: lastSequence, durable: lastSequence, checkpointSequence: checkpointSequence))
  }

  // MARK: Appending side

  /// Assigns the next sequence and queues the framed entry. When the queue is full this blocks
  /// until the writer takes it (one write + fsync): the master appends under its own lock, so a
  /// short stall is the right back-pressure, whereas failing an operation whose effects are
  /// already applied in memory would not be. A single entry larger than the bound is accepted
  /// once the queue is empty, so no entry can wait forever.
  func append(_ payload: [UInt8]) throws -> UInt64 {
    guard payload.count <= FrameLayout.maxPayloadSize else {
      throw GooseFSError(.invalidArgument, "Journal entry of \(payload.count) bytes exceeds the \(FrameLayout.maxPayloadSize)-byte limit")
    }
    let frameSize = FrameLayout.headerSize + payload.count
    let limit = maxQueuedBytes
    return try state.withLock(waitingUntil: { s in
      s.failure != nil || s.isClosing || s.pending.isEmpty || s.pending.count + frameSize <= limit
    }) { s in
      try s.checkAcceptingEntries()
      s.lastAssigned += 1
      FrameLayout.append(sequence: s.lastAssigned, payload: payload, to: &s.pending)
      return s.lastAssigned
    }
  }

  func waitUntilDurable(_ sequence: UInt64) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      whenDurable(sequence) { continuation.resume(with: $0) }
    }
  }

  /// Calls `wake` once `sequence` is durable (or the journal failed): at once on this thread when
  /// it already is, else on the writer thread right after its fsync, so it must be brief (a
  /// server answering on an event loop hands the answer over; no task is woken in between).
  func whenDurable(_ sequence: UInt64, _ wake: @escaping @Sendable (Result<Void, any Error>) -> Void) {
    let outcome: Result<Void, any Error>? = state.withLock { s in
      if sequence <= s.durable { return .success(()) }
      if let failure = s.failure { return .failure(failure) }
      if sequence > s.lastAssigned {
        return .failure(GooseFSError(.invalidArgument, "Journal sequence \(sequence) has not been appended (last is \(s.lastAssigned))"))
      }
      s.waiters.append(DurabilityWaiter(sequence: sequence, wake: wake))
      return nil
    }
    if let outcome { wake(outcome) }
  }

  /// Blocks until `sequence` is durable, or throws if the journal failed first.
  func waitUntilDurableBlocking(_ sequence: UInt64) throws {
    try state.withLock(waitingUntil: { s in s.durable >= sequence || s.failure != nil || s.writerExited }) { s in
      if s.durable >= sequence { return }
      throw s.failure ?? GooseFSError(.failedPrecondition, "Journal is closed")
    }
  }

  /// Asks the writer to roll and delete segments covered by a checkpoint, and waits until done.
  func compact(coveredThrough sequence: UInt64) throws {
    let ticket = try state.withLock { s in
      try s.checkAcceptingEntries()
      s.checkpointSequence = max(s.checkpointSequence, sequence)
      s.compactionThrough = max(s.compactionThrough ?? 0, sequence)
      s.compactionsRequested += 1
      return s.compactionsRequested
    }
    try state.withLock(waitingUntil: { s in s.compactionsDone >= ticket || s.failure != nil || s.writerExited }) { s in
      if s.compactionsDone >= ticket { return }
      throw s.failure ?? GooseFSError(.failedPrecondition, "Journal is closed")
    }
  }

  /// Stops accepting entries and waits for the writer to drain the queue and exit.
  func close() {
    state.withLock { s in
      s.isClosing = true
      s.writerPausedForTesting = false
    }
    state.withLock(waitingUntil: { $0.writerExited }) { _ in }
  }

  // MARK: Writer side

  /// Sleeps until there is work, then moves the whole queue into `batch` (which must be empty).
  /// Returns nil when the journal is closing and everything has been handed out.
  func nextWork(swappingInto batch: inout [UInt8]) -> Work? {
    state.withLock(waitingUntil: { s in
      !s.writerPausedForTesting && (!s.pending.isEmpty || s.compactionThrough != nil || s.isClosing)
    }) { s in
      if s.pending.isEmpty && s.compactionThrough == nil { return nil }
      swap(&s.pending, &batch)
      let work = Work(
        lastSequence: s.lastAssigned,
        compactionThrough: s.compactionThrough,
        compactionTicket: s.compactionsRequested,
        injectedFailure: s.injectedFailureForTesting)
      s.compactionThrough = nil
      s.injectedFailureForTesting = nil
      return work
    }
  }

  func markDurable(_ sequence: UInt64) {
    let ready: [DurabilityWaiter] = state.withLock { s in
      s.durable = sequence
      s.groupCommits += 1
      var ready: [DurabilityWaiter] = []
      var stillWaiting: [DurabilityWaiter] = []
      for waiter in s.waiters {
        if waiter.sequence <= sequence { ready.append(waiter) } else { stillWaiting.append(waiter) }
      }
      s.waiters = stillWaiting
      return ready
    }
    // Resume outside the lock: a resumed task may immediately append again.
    for waiter in ready { waiter.wake(.success(())) }
  }

  func compactionFinished(ticket: Int) {
    state.withLock { s in s.compactionsDone = max(s.compactionsDone, ticket) }
  }

  /// Enters the failed state: memory and disk may now differ, so nothing more is accepted and
  /// everyone waiting learns why.
  func fail(_ error: any Error) {
    let reason = (error as? GooseFSError)?.message ?? "\(error)"
    let failure = GooseFSError(.ioError, "Journal write failed; the master must stop: \(reason)")
    let waiters: [DurabilityWaiter] = state.withLock { s in
      s.failure = s.failure ?? failure
      defer { s.waiters = [] }
      return s.waiters
    }
    for waiter in waiters { waiter.wake(.failure(failure)) }
  }

  func writerDidExit() {
    let waiters: [DurabilityWaiter] = state.withLock { s in
      s.writerExited = true
      defer { s.waiters = [] }
      return s.waiters
    }
    // Only reachable after a failure (a normal close drains everything first).
    for waiter in waiters {
      waiter.wake(.failure(GooseFSError(.failedPrecondition, "Journal is closed")))
    }
  }
}

extension CommitQueue.State {
  func checkAcceptingEntries() throws {
    if let failure { throw failure }
    if isClosing { throw GooseFSError(.failedPrecondition, "Journal is closed") }
  }
}
