import GooseFSCore

/// Tuning of a `UFSJournal`. The defaults match GooseFS/Alluxio's
/// `goosefs.master.journal.log.size.bytes.max` (10 MiB) and leave generous room for bursts.
public struct JournalOptions: Sendable {
  /// A segment file is closed and a new one started once the next entry would push it past this
  /// size. An entry larger than this gets a segment of its own.
  public var segmentSizeBytes: Int = 10 << 20

  /// Upper bound of framed bytes waiting for the writer thread. When the queue is full, `append`
  /// blocks its caller until the writer has taken the queue (about one write + fsync). Together
  /// with the batch being written this bounds journal memory to about twice this value.
  public var maxQueuedBytes: Int = 64 << 20

  public init(segmentSizeBytes: Int = 10 << 20, maxQueuedBytes: Int = 64 << 20) {
    self.segmentSizeBytes = segmentSizeBytes
    self.maxQueuedBytes = maxQueuedBytes
  }

  func validated() throws -> JournalOptions {
    guard segmentSizeBytes > SegmentLayout.headerSize + FrameLayout.headerSize else {
      throw GooseFSError(
        .invalidArgument,
        "Journal segment size \(segmentSizeBytes) is too small: it must exceed \(SegmentLayout.headerSize + FrameLayout.headerSize) bytes")
    }
    guard maxQueuedBytes > 0 else {
      throw GooseFSError(.invalidArgument, "Journal maxQueuedBytes must be positive, got \(maxQueuedBytes)")
    }
    return self
  }
}
