import GooseFSCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading and atomically writing `checkpoint.<sequence>` files.
enum CheckpointFile {
  /// Write-to-temp, fsync, rename, fsync the folder: after a crash either the old set of files or
  /// the complete new checkpoint exists, never a half-written one under the real name.
  static func write(_ checkpoint: JournalCheckpoint, folder: String) throws {
    let temporaryPath = folder + "/" + JournalFileName.temporaryCheckpoint(sequence: checkpoint.sequence)
    let finalPath = folder + "/" + JournalFileName.checkpoint(sequence: checkpoint.sequence)
    let bytes = encode(checkpoint)
    let fd = try PosixFile.openFile(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC)
    do {
      try bytes.withUnsafeBytes { try PosixFile.writeAll(fd, $0, path: temporaryPath) }
      try PosixFile.syncFile(fd, path: temporaryPath)
      PosixFile.closeFile(fd)
    } catch {
      PosixFile.closeFile(fd)
      // Best effort: recovery deletes leftover temporary checkpoints, and the write's own error
      // is the one to report.
      do { try PosixFile.removeFile(temporaryPath) } catch {}
      throw error
    }
    try PosixFile.renameFile(temporaryPath, to: finalPath)
    try PosixFile.syncDirectory(folder)
  }

  static func encode(_ checkpoint: JournalCheckpoint) -> [UInt8] {
    var bytes = CheckpointLayout.magic
    bytes.reserveCapacity(CheckpointLayout.headerSize + checkpoint.payload.count)
    bytes.appendLittleEndian(CheckpointLayout.version)
    bytes.appendLittleEndian(checkpoint.sequence)
    bytes.appendLittleEndian(UInt64(checkpoint.payload.count))
    bytes.appendLittleEndian(CRC32C.checksum(checkpoint.payload))
    bytes.appendLittleEndian(UInt32(0))
    bytes.append(contentsOf: checkpoint.payload)
    return bytes
  }

  /// Reads and verifies a checkpoint; any mismatch throws `.corrupted` naming the file.
  static func read(path: String, sequence: UInt64) throws -> JournalCheckpoint {
    let bytes = try PosixFile.readWholeFile(path)
    func corrupted(_ reason: String) -> GooseFSError {
      GooseFSError(.corrupted, "Journal checkpoint \(path) is corrupted: \(reason)")
    }
    return try bytes.withUnsafeBytes { raw in
      guard raw.count >= CheckpointLayout.headerSize,
        Array(raw[0..<4]) == CheckpointLayout.magic
      else { throw corrupted("missing checkpoint header") }
      let version = raw.readLittleEndian(UInt32.self, at: 4)
      guard version == CheckpointLayout.version else {
        throw GooseFSError(
          .failedPrecondition,
          "Journal checkpoint \(path) has format version \(version); this master reads version \(CheckpointLayout.version)")
      }
      let storedSequence = raw.readLittleEndian(UInt64.self, at: 8)
      let length = raw.readLittleEndian(UInt64.self, at: 16)
      let crc = raw.readLittleEndian(UInt32.self, at: 24)
      guard storedSequence == sequence else {
        throw corrupted("it records sequence \(storedSequence) but its name says \(sequence)")
      }
      guard length == UInt64(raw.count - CheckpointLayout.headerSize) else {
        throw corrupted("header says \(length) payload bytes but the file holds \(raw.count - CheckpointLayout.headerSize)")
      }
      let payload = UnsafeRawBufferPointer(rebasing: raw[CheckpointLayout.headerSize...])
      guard CRC32C.checksum(payload) == crc else { throw corrupted("checksum mismatch") }
      return JournalCheckpoint(sequence: sequence, payload: Array(payload))
    }
  }
}
