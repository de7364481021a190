/// One journal entry as recovered from disk.
public struct JournalRecord: Sendable, Equatable {
  public let sequence: UInt64
  public let payload: [UInt8]

  public init(sequence: UInt64, payload: [UInt8]) {
    self.sequence = sequence
    self.payload = payload
  }
}

/// A snapshot of the master's state that covers every entry up to and including `sequence`.
public struct JournalCheckpoint: Sendable, Equatable {
  public let sequence: UInt64
  public let payload: [UInt8]

  public init(sequence: UInt64, payload: [UInt8]) {
    self.sequence = sequence
    self.payload = payload
  }
}

/// What opening a journal found: replay `checkpoint` (if any), then `records` in order.
public struct JournalRecovery: Sendable {
  public let checkpoint: JournalCheckpoint?
  /// Every entry with a sequence greater than the checkpoint's, contiguous and in order.
  public let records: [JournalRecord]
  /// Bytes of an incomplete or damaged final frame that were cut off the last segment: entries
  /// that were being written when the previous master died and were never acknowledged.
  public let truncatedTailBytes: Int

  public init(checkpoint: JournalCheckpoint?, records: [JournalRecord], truncatedTailBytes: Int) {
    self.checkpoint = checkpoint
    self.records = records
    self.truncatedTailBytes = truncatedTailBytes
  }

  /// The sequence the master's state reaches after replaying this recovery.
  public var lastSequence: UInt64 { records.last?.sequence ?? checkpoint?.sequence ?? 0 }
}
