/// Metadata of one file or directory in an under file system.
public struct UFSStatus: Sendable, Hashable {
  /// The last path segment (the child name in a listing; the location's name for `status`).
  public var name: String
  public var isDirectory: Bool
  /// Size in bytes; 0 for directories.
  public var length: Int64
  /// Milliseconds since the Unix epoch.
  public var lastModified: Int64
  /// Permission bits (`0o7777` at most; no file-type bits).
  public var mode: UInt16
  public var owner: String
  public var group: String
  /// A content digest when the store has one (an object's ETag); nil for local files.
  public var contentHash: String?
  /// Opaque change-detection token: metadata sync reloads a path when its fingerprint differs from
  /// the one recorded at the last sync. Only equality is meaningful.
  public var fingerprint: String

  /// Pass `fingerprint` to override the POSIX-style default (object stores use
  /// `UFSStatus.objectFingerprint`, since their mtime/owner are synthetic).
  public init(
    name: String,
    isDirectory: Bool,
    length: Int64,
    lastModified: Int64,
    mode: UInt16,
    owner: String,
    group: String,
    contentHash: String? = nil,
    fingerprint: String? = nil
  ) {
    self.name = name
    self.isDirectory = isDirectory
    self.length = isDirectory ? 0 : length
    self.lastModified = lastModified
    self.mode = mode & 0o7777
    self.owner = owner
    self.group = group
    self.contentHash = contentHash
    self.fingerprint =
      fingerprint
      ?? Self.posixFingerprint(
        isDirectory: isDirectory, length: length, mtime: lastModified,
        owner: owner, group: group, mode: mode)
  }

  /// `file|length|mtime|owner|group|mode` or `directory|owner|group|mode`. `mtime` may be in any
  /// unit as long as one store always uses the same one; the local adapter passes nanoseconds so that
  /// two same-length writes within one millisecond still differ. A directory's mtime is left out on
  /// purpose: it changes whenever a child is added, and children are synced on their own.
  public static func posixFingerprint(
    isDirectory: Bool, length: Int64, mtime: Int64, owner: String, group: String, mode: UInt16
  ) -> String {
    let modeText = String(mode & 0o7777, radix: 8)
    if isDirectory {
      return "directory|\(owner)|\(group)|\(modeText)"
    }
    return "file|\(length)|\(mtime)|\(owner)|\(group)|\(modeText)"
  }

  /// `file|length|etag` or `directory` for object stores, where only size and ETag are real.
  public static func objectFingerprint(isDirectory: Bool, length: Int64, etag: String?) -> String {
    isDirectory ? "directory" : "file|\(length)|\(etag ?? "")"
  }
}
