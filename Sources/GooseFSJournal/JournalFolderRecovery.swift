import GooseFSCore
import Logging

/// A segment file that recovery kept, as the writer needs to know it.
struct SegmentDescriptor: Sendable {
  let firstSequence: UInt64
  var lastSequence: UInt64
  let path: String
  var size: Int
}

/// Everything opening a folder produced: what the master replays, and where the writer resumes.
struct RecoveredFolder: Sendable {
  var recovery: JournalRecovery
  var checkpointSequence: UInt64
  var lastSequence: UInt64
  /// Surviving segments in log order; the writer appends to the last one if it has room.
  var segments: [SegmentDescriptor]
}

/// Reads a journal folder back: cleans leftovers, picks the checkpoint, replays segments, cuts a
/// torn tail. Runs with the folder lock held and before the writer thread exists.
struct JournalFolderRecovery {
  let folder: String
  let logger: Logger

  func run() throws -> RecoveredFolder {
    var checkpointSequences: [UInt64] = []
    var segmentSequences: [UInt64] = []
    for name in try PosixFile.listDirectory(folder) {
      switch JournalFileName.classify(name) {
      case .segment(let first): segmentSequences.append(first)
      case .checkpoint(let sequence): checkpointSequences.append(sequence)
      case .temporary:
        // A checkpoint that was being written when the previous master stopped: never renamed,
        // so never relied upon.
        logger.warning("Removing unfinished journal file \(folder)/\(name)")
        try PosixFile.removeFile(folder + "/" + name)
      case .other: break
      }
    }

    let checkpoint = try latestValidCheckpoint(checkpointSequences)
    let base = checkpoint?.sequence ?? 0
    var records: [JournalRecord] = []
    var (segments, tornBytes) = try replaySegments(segmentSequences.sorted(), after: base, into: &records)

    if let oldest = segments.first, oldest.firstSequence > base + 1 {
      throw GooseFSError(
        .corrupted,
        "Journal folder \(folder) is missing entries \(base + 1)...\(oldest.firstSequence - 1): the oldest segment "
          + "\(oldest.path) starts after \(checkpoint == nil ? "the beginning of the journal" : "checkpoint \(base)"). "
          + "The journal must be restored from a backup or formatted.")
    }
    segments = try removeSegments(coveredBy: base, from: segments)
    let lastSequence = max(base, records.last?.sequence ?? 0, segments.last?.lastSequence ?? 0)
    return RecoveredFolder(
      recovery: JournalRecovery(checkpoint: checkpoint, records: records, truncatedTailBytes: tornBytes),
      checkpointSequence: base,
      lastSequence: lastSequence,
      segments: segments)
  }

  /// Newest checkpoint that verifies. A damaged newer one is skipped with an error in the log:
  /// falling back is safe because the segment check afterwards proves the older checkpoint plus
  /// the surviving segments still form a gap-free history, and refuses otherwise.
  private func latestValidCheckpoint(_ sequences: [UInt64]) throws -> JournalCheckpoint? {
    var newestError: GooseFSError?
    for sequence in sequences.sorted(by: >) {
      let path = folder + "/" + JournalFileName.checkpoint(sequence: sequence)
      do {
        return try CheckpointFile.read(path: path, sequence: sequence)
      } catch let error as GooseFSError where error.code == .corrupted {
        logger.error("Skipping damaged journal checkpoint: \(error.message)")
        newestError = newestError ?? error
      }
    }
    // Checkpoints existed but none verifies: replaying from nothing would silently lose state.
    if let newestError {
      throw GooseFSError(.corrupted, newestError.message + " The journal must be restored from a backup or formatted.")
    }
    return nil
  }

  private func replaySegments(
    _ firstSequences: [UInt64], after base: UInt64, into records: inout [JournalRecord]
  ) throws -> (segments: [SegmentDescriptor], tornBytes: Int) {
    var segments: [SegmentDescriptor] = []
    var tornBytes = 0
    for (index, first) in firstSequences.enumerated() {
      let path = folder + "/" + JournalFileName.segment(firstSequence: first)
      let isLast = index == firstSequences.count - 1
      if let previous = segments.last, previous.lastSequence + 1 != first {
        throw GooseFSError(
          .corrupted,
          "Journal folder \(folder) is missing entries: \(previous.path) ends at sequence \(previous.lastSequence) "
            + "but the next segment \(path) starts at \(first). The journal must be restored from a backup or formatted.")
      }
      let bytes = try PosixFile.readWholeFile(path)
      let scan = try bytes.withUnsafeBytes {
        try SegmentScanner.scan(
          $0, path: path, firstSequence: first, isLastSegment: isLast, keepingAfter: base, into: &records)
      }
      if scan.tornBytes > 0 {
        try cutTornTail(path: path, scan: scan)
        tornBytes = scan.tornBytes
      }
      guard let last = scan.lastSequence else {
        if isLast {
          // Created just before the crash and nothing in it survived: as if never created.
          try PosixFile.removeFile(path)
          try PosixFile.syncDirectory(folder)
          continue
        }
        throw SegmentScanner.corrupted(path, SegmentLayout.headerSize, "the segment holds no entries but is not the last one")
      }
      segments.append(SegmentDescriptor(firstSequence: first, lastSequence: last, path: path, size: scan.validLength))
    }
    return (segments, tornBytes)
  }

  private func cutTornTail(path: String, scan: SegmentScan) throws {
    logger.warning(
      "Journal \(path) ends with an interrupted write: dropping \(scan.tornBytes) bytes after byte offset \(scan.validLength) (entries never acknowledged)")
    if scan.lastSequence != nil {
      try PosixFile.truncateFile(path, toLength: scan.validLength)
    }
  }

  /// Segments whose every entry is inside the checkpoint are left over from a checkpoint whose
  /// clean-up was interrupted; finish that clean-up now.
  private func removeSegments(coveredBy base: UInt64, from segments: [SegmentDescriptor]) throws -> [SegmentDescriptor] {
    let covered = segments.prefix { $0.lastSequence <= base }
    guard !covered.isEmpty else { return segments }
    for segment in covered {
      logger.info("Removing journal segment \(segment.path), covered by checkpoint \(base)")
      try PosixFile.removeFile(segment.path)
    }
    try PosixFile.syncDirectory(folder)
    return Array(segments.dropFirst(covered.count))
  }
}
