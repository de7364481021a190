import GooseFSCore
import GooseFSJournal
import GooseFSRPC
import Logging
import NIOPosix
import Synchronization

/// The single writer of the namespace. Mutations are planned from the current state and applied
/// under one lock, in the order their entries are journaled; the caller is answered only once its
/// entries are durable (group commit happens inside the journal). Reads take the same lock briefly
/// and never wait for fsync.
final class JournaledNamespace: Sendable {
  private let state: Mutex<NamespaceState>
  private let journal: UFSJournal
  private let checkpointPeriodEntries: Int
  private let checkpointRequests: AsyncStream<Void>.Continuation
  let checkpointSignals: AsyncStream<Void>
  private let logger: Logger

  init(state: NamespaceState, journal: UFSJournal, checkpointPeriodEntries: Int, logger: Logger) {
    self.state = Mutex(state)
    self.journal = journal
    self.checkpointPeriodEntries = max(1, checkpointPeriodEntries)
    (checkpointSignals, checkpointRequests) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    self.logger = logger
  }

  func read<T>(_ body: (borrowing NamespaceState) throws -> T) rethrows -> T {
    try state.withLock { try body($0) }
  }

  /// Like `read`, and also returns the journal sequence of the last entry the state reflects, for
  /// `waitUntilDurable`: mutations apply before they are durable, so a read may see a change a
  /// crash would still undo.
  func readWithSequence<T>(_ body: (borrowing NamespaceState) throws -> T) rethrows -> (T, UInt64) {
    try state.withLock { state in (try body(state), journal.lastSequence) }
  }

  /// Returns once every entry up to `sequence` is durable.
  func waitUntilDurable(_ sequence: UInt64) async throws {
    try await journal.waitUntilDurable(sequence)
  }

  /// Plans entries against the current state, applies and journals them, then waits until they
  /// are durable. `plan` runs under the lock: it must not block.
  @discardableResult
  func mutate<T: Sendable>(_ plan: (borrowing NamespaceState) throws -> (entries: [JournalEntry], result: T)) async throws -> T {
    let (lastSequence, result) = try applyAndAppend(plan)
    guard let lastSequence else { return result }
    do {
      try await journal.waitUntilDurable(lastSequence)
    } catch {
      stopOnJournalFailure(error)
    }
    if journal.entriesSinceCheckpoint >= checkpointPeriodEntries {
      checkpointRequests.yield()
    }
    return result
  }

  /// What `mutateNow` leaves to do: tell the caller once the entries are durable.
  struct Pending: Sendable {
    fileprivate let namespace: JournaledNamespace
    fileprivate let sequence: UInt64?

    /// Nothing to wait for.
    var isDurable: Bool { sequence == nil }

    /// Runs `body` once the entries are durable: at once when there were none (or they already
    /// are), else on the journal's writer thread right after the fsync, so `body` must be brief.
    func whenDurable(_ body: @escaping @Sendable () -> Void) {
      guard let sequence else { return body() }
      let namespace = self.namespace
      namespace.journal.whenDurable(sequence) { outcome in
        if case .failure(let error) = outcome { namespace.stopOnJournalFailure(error) }
        body()
      }
    }
  }

  /// Waiting for entries up to `sequence` (from `readWithSequence`), or for nothing.
  func pending(until sequence: UInt64?) -> Pending { Pending(namespace: self, sequence: sequence) }

  /// `mutate` for a caller that must not suspend (a framed call answered on its event loop):
  /// plans, applies and journals in the same way, and returns without waiting for the fsync; the
  /// caller answers from `Pending.whenDurable`. Appending blocks only when the journal's queue is
  /// full (64 MiB waiting for one write and fsync), as in `mutate`.
  func mutateNow<T>(_ plan: (borrowing NamespaceState) throws -> (entries: [JournalEntry], result: T)) throws
    -> (result: T, pending: Pending)
  {
    let (lastSequence, result) = try applyAndAppend(plan)
    if lastSequence != nil, journal.entriesSinceCheckpoint >= checkpointPeriodEntries {
      checkpointRequests.yield()
    }
    return (result, Pending(namespace: self, sequence: lastSequence))
  }

  /// Plans under the lock, applies each entry and appends it to the journal (not yet durable);
  /// returns the last entry's sequence (nil: nothing changed) and the plan's result.
  private func applyAndAppend<T>(_ plan: (borrowing NamespaceState) throws -> (entries: [JournalEntry], result: T)) throws
    -> (UInt64?, T)
  {
    try state.withLock { state -> (UInt64?, T) in
      let (entries, result) = try plan(state)
      var last: UInt64?
      for entry in entries {
        // Apply first: it validates, and a rejected entry must not reach the journal.
        try state.apply(entry)
        last = appendOrDie(entry)
      }
      return (last, result)
    }
  }

  /// Writes a checkpoint of the current state. The state is copied under the lock (cheap:
  /// copy-on-write) and serialised outside it, so mutations continue meanwhile. Blocks on the
  /// checkpoint's fsyncs: async code runs it on NIO's blocking-work pool (`runCheckpointer`).
  @available(*, noasync, message: "fsyncs: run it on a blocking-work thread")
  func writeCheckpoint() throws {
    let (snapshot, sequence) = state.withLock { state in (state, journal.lastSequence) }
    let payload: [UInt8] = try snapshot.checkpoint().serializedBytes()
    try journal.writeCheckpoint(sequence: sequence, payload: payload)
    logger.info("Wrote journal checkpoint at sequence \(sequence) (\(snapshot.inodes.count) inodes, \(payload.count) bytes).")
  }

  /// Runs until cancelled, writing a checkpoint whenever enough entries accumulated.
  func runCheckpointer() async {
    for await _ in checkpointSignals {
      if Task.isCancelled { return }
      do {
        // Serialising and fsyncing a large namespace takes seconds: never on the cooperative pool,
        // where it would stall RPCs.
        try await NIOThreadPool.singleton.runIfActive { try self.writeCheckpoint() }
      } catch {
        logger.error("Journal checkpoint failed: \(error). The journal keeps growing until one succeeds.")
      }
    }
  }

  func close() {
    checkpointRequests.finish()
    journal.close()
  }

  private func appendOrDie(_ entry: JournalEntry) -> UInt64 {
    do {
      return try journal.append(try entry.serializedBytes())
    } catch {
      stopOnJournalFailure(error)
    }
  }

  /// Memory already holds a change the journal could not take: serving on would let the two
  /// diverge, so the master stops, as GooseFS does. A restart replays what is durable.
  private func stopOnJournalFailure(_ error: any Error) -> Never {
    logger.critical("Journal write failed: \(error). Stopping the master to keep the namespace consistent.")
    fatalError("Journal write failed: \(error)")
  }
}
