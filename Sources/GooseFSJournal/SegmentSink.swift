import GooseFSCore
import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The segment files as the writer thread sees them: which one is open for appending, which are
/// closed, when to roll, and which to delete after a checkpoint.
///
/// Owned by the writer thread alone (it is created on that thread), so it needs no locking and
/// is deliberately not Sendable.
final class SegmentSink {
  struct Configuration: Sendable {
    var folder: String
    var segmentSizeBytes: Int
    /// Segments left by recovery, in log order.
    var segments: [SegmentDescriptor]
    var logger: Logger
  }

  private let folder: String
  private let segmentSizeBytes: Int
  private let logger: Logger
  private var closedSegments: [SegmentDescriptor]
  private var current: SegmentDescriptor?
  /// Opened on first use, so resuming a recovered segment costs nothing until there is data.
  private var currentDescriptor: Int32?
  private var currentNeedsSync = false
  private var folderNeedsSync = false

  init(_ configuration: Configuration) {
    folder = configuration.folder
    segmentSizeBytes = configuration.segmentSizeBytes
    logger = configuration.logger
    closedSegments = configuration.segments
    // Keep filling the last recovered segment rather than leaving a small file per restart.
    if let last = closedSegments.last, last.size < segmentSizeBytes {
      current = closedSegments.removeLast()
    }
  }

  /// Writes a batch of frames, rolling to new segments at frame boundaries when the size limit is
  /// reached. Consecutive frames that go to one file are written with a single `write`.
  func append(_ batch: [UInt8]) throws {
    try batch.withUnsafeBytes { bytes in
      var chunkStart = 0
      var offset = 0
      var chunkLastSequence: UInt64 = 0
      while offset < bytes.count {
        // The queue only ever holds frames this module built, so the header is always complete.
        guard let header = FrameLayout.header(in: bytes, at: offset) else {
          throw GooseFSError(.internalError, "Journal queue holds a partial frame at offset \(offset)")
        }
        if let segment = current {
          let sizeAfterChunk = segment.size + (offset - chunkStart)
          if sizeAfterChunk + header.frameSize > segmentSizeBytes, sizeAfterChunk > SegmentLayout.headerSize {
            try write(UnsafeRawBufferPointer(rebasing: bytes[chunkStart..<offset]), lastSequence: chunkLastSequence)
            try closeCurrentSegment()
            chunkStart = offset
            try startSegment(firstSequence: header.sequence)
          }
        } else {
          try startSegment(firstSequence: header.sequence)
        }
        chunkLastSequence = header.sequence
        offset += header.frameSize
      }
      if offset > chunkStart {
        try write(UnsafeRawBufferPointer(rebasing: bytes[chunkStart..<offset]), lastSequence: chunkLastSequence)
      }
    }
  }

  /// Makes everything appended so far durable: the open segment, and new file names in the folder.
  func sync() throws {
    if currentNeedsSync, let fd = currentDescriptor, let segment = current {
      try PosixFile.syncFile(fd, path: segment.path)
      currentNeedsSync = false
    }
    if folderNeedsSync {
      try PosixFile.syncDirectory(folder)
      folderNeedsSync = false
    }
  }

  /// After a checkpoint at `sequence`: closes the open segment if it holds covered entries (so it
  /// can be deleted next time if not now), then deletes every closed segment whose *last* entry
  /// is covered. A segment that also holds later entries is kept whole.
  func compact(coveredThrough sequence: UInt64) throws {
    if let segment = current, segment.firstSequence <= sequence {
      try closeCurrentSegment()
    }
    var removedAny = false
    while let oldest = closedSegments.first, oldest.lastSequence <= sequence {
      do {
        try PosixFile.removeFile(oldest.path)
      } catch {
        // Not fatal: the next checkpoint or the next recovery removes it.
        logger.warning("Could not remove journal segment covered by checkpoint \(sequence): \(error)")
        break
      }
      closedSegments.removeFirst()
      removedAny = true
    }
    if removedAny {
      do { try PosixFile.syncDirectory(folder) } catch {
        logger.warning("Could not sync journal folder after removing segments: \(error)")
      }
    }
  }

  func close() {
    if let fd = currentDescriptor {
      if currentNeedsSync, let segment = current {
        do {
          try PosixFile.syncFile(fd, path: segment.path)
        } catch {
          // Group commit acknowledges an entry only after its sync, so what this loses was never
          // acknowledged; recovery truncates whatever did not reach the disk.
          logger.error("Could not sync journal segment \(segment.path) at close: \(error)")
        }
      }
      PosixFile.closeFile(fd)
    }
    currentDescriptor = nil
  }

  private func startSegment(firstSequence: UInt64) throws {
    let path = folder + "/" + JournalFileName.segment(firstSequence: firstSequence)
    let fd = try PosixFile.openFile(path, O_WRONLY | O_CREAT | O_EXCL)
    do {
      try SegmentLayout.header().withUnsafeBytes { try PosixFile.writeAll(fd, $0, path: path) }
    } catch {
      PosixFile.closeFile(fd)
      throw error
    }
    current = SegmentDescriptor(
      firstSequence: firstSequence, lastSequence: firstSequence - 1, path: path, size: SegmentLayout.headerSize)
    currentDescriptor = fd
    currentNeedsSync = true
    folderNeedsSync = true
  }

  private func write(_ frames: UnsafeRawBufferPointer, lastSequence: UInt64) throws {
    guard var segment = current else { return }
    let fd = try currentDescriptor ?? PosixFile.openFile(segment.path, O_WRONLY | O_APPEND)
    currentDescriptor = fd
    try PosixFile.writeAll(fd, frames, path: segment.path)
    segment.size += frames.count
    segment.lastSequence = lastSequence
    current = segment
    currentNeedsSync = true
  }

  private func closeCurrentSegment() throws {
    guard let segment = current else { return }
    if let fd = currentDescriptor {
      if currentNeedsSync { try PosixFile.syncFile(fd, path: segment.path) }
      PosixFile.closeFile(fd)
    }
    currentDescriptor = nil
    currentNeedsSync = false
    current = nil
    closedSegments.append(segment)
  }
}
