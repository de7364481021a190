import GooseFSUFS

/// Whether a file's bytes in the under store are still the ones GooseFS knows.
///
/// Fingerprints carry content parts (type, length, modification time or etag) and, for local
/// folders, metadata parts (owner, group, mode). Only the content parts decide: a chmod must not
/// make GooseFS think the data changed and drop its cached blocks.
enum ContentFingerprint {
  static func contentPart(_ fingerprint: String) -> Substring {
    let parts = fingerprint.split(separator: "|", omittingEmptySubsequences: false)
    guard parts.count >= 3 else { return Substring(fingerprint) }
    return fingerprint[..<parts[2].endIndex]
  }

  /// True when `status` shows the same content as the inode recorded (by fingerprint when the
  /// inode has one, else by length).
  static func matches(recordedFingerprint: String, recordedLength: Int64, status: UFSStatus) -> Bool {
    guard !recordedFingerprint.isEmpty else { return status.length == recordedLength }
    return contentPart(recordedFingerprint) == contentPart(status.fingerprint)
  }
}
