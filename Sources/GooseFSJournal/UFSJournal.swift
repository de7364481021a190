import GooseFSCore
import Logging
import Synchronization

/// The master's write-ahead journal kept in a local folder (journal type `UFS`).
///
/// Usage: `open` returns the journal and what to replay; the master then calls `append` for each
/// state change (under its own lock, so sequences follow the order of changes) and, before
/// answering a client, `waitUntilDurable` for the returned sequence. `append` never touches the
/// disk; a writer thread commits queued entries in groups with one fsync per group.
///
/// Failure model: if a write or fsync fails, the journal stops for good. Every waiter and every
/// later call gets the error; the master must then stop, because its memory is ahead of the disk.
public final class UFSJournal: Sendable {
  public let folder: String
  private let queue: CommitQueue
  var queueForTesting: CommitQueue { queue }
  private let lock: FolderLock
  private let logger: Logger
  /// Checkpoints are rare and heavy; one at a time keeps their clean-up simple.
  private let checkpointGate = Mutex(())

  private init(folder: String, queue: CommitQueue, lock: FolderLock, logger: Logger) {
    self.folder = folder
    self.queue = queue
    self.lock = lock
    self.logger = logger
  }

  /// Opens (creating if needed), locks and recovers the folder. Throws `.failedPrecondition` if
  /// another master holds the folder, `.corrupted` if the journal cannot be trusted.
  public static func open(folder: String, options: JournalOptions = JournalOptions(), logger: Logger) throws -> (
    UFSJournal, JournalRecovery
  ) {
    let options = try options.validated()
    try PosixFile.createDirectories(folder)
    let lock = try FolderLock.acquire(folder: folder)
    let recovered = try JournalFolderRecovery(folder: folder, logger: logger).run()
    let queue = CommitQueue(
      lastSequence: recovered.lastSequence,
      checkpointSequence: recovered.checkpointSequence,
      maxQueuedBytes: options.maxQueuedBytes)
    JournalWriterThread.start(
      queue: queue,
      sink: SegmentSink.Configuration(
        folder: folder, segmentSizeBytes: options.segmentSizeBytes, segments: recovered.segments, logger: logger))
    logger.info(
      "Journal \(folder) recovered: checkpoint \(recovered.checkpointSequence), \(recovered.recovery.records.count) entries after it, last sequence \(recovered.lastSequence)")
    return (UFSJournal(folder: folder, queue: queue, lock: lock, logger: logger), recovered.recovery)
  }

  deinit { close() }

  /// Assigns the next sequence number and queues the entry; does not wait for the disk. Blocks
  /// only while the queue holds `maxQueuedBytes` (until the writer takes it).
  public func append(_ payload: [UInt8]) throws -> UInt64 {
    try queue.append(payload)
  }

  /// Returns once `sequence` (and everything before it) is fsynced. Not cancellable: the wait is
  /// one group commit long, and an abandoned waiter would only leak its continuation.
  public func waitUntilDurable(_ sequence: UInt64) async throws {
    try await queue.waitUntilDurable(sequence)
  }

  /// Calls `wake` once `sequence` is durable or the journal failed (see `CommitQueue.whenDurable`:
  /// possibly at once on this thread, else on the writer thread; keep it brief).
  public func whenDurable(_ sequence: UInt64, _ wake: @escaping @Sendable (Result<Void, any Error>) -> Void) {
    queue.whenDurable(sequence, wake)
  }

  /// Blocks until everything appended before the call is durable.
  public func flush() throws {
    try queue.waitUntilDurableBlocking(lastSequence)
  }

  /// Stores a snapshot covering every entry up to `sequence`, then deletes the segments and
  /// checkpoints it makes redundant. Safe to call from any thread while appends continue; the
  /// caller must pass a payload that reflects exactly the entries through `sequence`.
  public func writeCheckpoint(sequence: UInt64, payload: [UInt8]) throws {
    try checkpointGate.withLock { _ in
      let (last, previous) = queue.state.withLock { ($0.lastAssigned, $0.checkpointSequence) }
      guard sequence <= last else {
        throw GooseFSError(.invalidArgument, "Cannot checkpoint at sequence \(sequence): the journal ends at \(last)")
      }
      guard sequence >= previous else {
        throw GooseFSError(.invalidArgument, "Cannot checkpoint at sequence \(sequence): a checkpoint at \(previous) exists")
      }
      // The entries the checkpoint covers must be on disk first: otherwise a crash could leave
      // a checkpoint at N and a segment ending before N that later appends would extend with a
      // gap in the sequence.
      try queue.waitUntilDurableBlocking(sequence)
      try CheckpointFile.write(JournalCheckpoint(sequence: sequence, payload: payload), folder: folder)
      removeCheckpoints(olderThan: sequence)
      try queue.compact(coveredThrough: sequence)
      logger.info("Journal checkpoint written at sequence \(sequence)")
    }
  }

  /// Flushes, stops the writer thread and releases the folder lock. Idempotent; later calls to
  /// `append` throw `.failedPrecondition`.
  public func close() {
    queue.close()
    lock.release()
  }

  // MARK: Statistics

  /// The sequence of the most recent `append` (or of recovery, before any append).
  public var lastSequence: UInt64 { queue.state.withLock { $0.lastAssigned } }
  /// The highest sequence known to be fsynced.
  public var durableSequence: UInt64 { queue.state.withLock { $0.durable } }
  /// The sequence of the newest checkpoint, 0 if none.
  public var checkpointSequence: UInt64 { queue.state.withLock { $0.checkpointSequence } }
  /// Entries a restart would replay on top of the checkpoint; the master checkpoints when this
  /// passes `goosefs.master.journal.checkpoint.period.entries`.
  public var entriesSinceCheckpoint: Int { queue.state.withLock { Int($0.lastAssigned - $0.checkpointSequence) } }
  /// Number of write+fsync rounds so far; far below the number of entries under concurrent load.
  public var groupCommitCount: Int { queue.state.withLock { $0.groupCommits } }

  // MARK: Private

  private func removeCheckpoints(olderThan sequence: UInt64) {
    do {
      for name in try PosixFile.listDirectory(folder) {
        if case .checkpoint(let other) = JournalFileName.classify(name), other != sequence {
          try PosixFile.removeFile(folder + "/" + name)
        }
      }
    } catch {
      // Harmless: recovery always picks the newest checkpoint, and the next one retries.
      logger.warning("Could not remove old journal checkpoints: \(error)")
    }
  }
}
