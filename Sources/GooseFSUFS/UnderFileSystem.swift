import NIOCore

/// One mounted under file system (local folder, S3 bucket, COS bucket, ...).
///
/// Every `path` argument is a full location string (`/data/a/b`, `file:///data/a/b`,
/// `s3://bucket/a/b`) that must lie inside `uri`. The contract is written for object stores as
/// much as for POSIX folders: rename need not be atomic, listings may be paginated underneath,
/// and a new file only appears under its final name once its output stream is closed.
/// All errors are `GooseFSError`.
public protocol UnderFileSystem: Sendable {
  /// The mount's root.
  var uri: UFSURI { get }
  /// Short adapter name: "local", "s3", "cosn".
  var typeName: String { get }

  /// Metadata of a file or directory; nil when nothing exists there.
  func status(_ path: String) async throws -> UFSStatus?

  /// The children of a directory, sorted by name in UTF-8 byte order (the order object stores list
  /// in); nil when the path is missing or not a directory.
  func list(_ path: String) async throws -> [UFSStatus]?

  /// True when created, false when a directory already exists there. Throws `.notFound` when the
  /// parent is missing and `createParents` is false, `.alreadyExists` when a file is in the way.
  func createDirectory(_ path: String, mode: UInt16, createParents: Bool) async throws -> Bool

  /// True when deleted, false when missing. Throws `.failedPrecondition` for a directory.
  func deleteFile(_ path: String) async throws -> Bool

  /// True when deleted, false when missing. Throws `.directoryNotEmpty` for a non-empty directory
  /// unless `recursive`, and `.failedPrecondition` for a file.
  func deleteDirectory(_ path: String, recursive: Bool) async throws -> Bool

  /// Moves a file or directory. False when the source is missing; throws `.alreadyExists` when the
  /// destination exists and `.notFound` when the destination's parent is missing. Not atomic for
  /// object stores (copy then delete).
  func rename(_ source: String, to destination: String) async throws -> Bool

  /// Sets permission bits (no-op for object stores).
  func setMode(_ path: String, _ mode: UInt16) async throws

  /// Changes owner and/or group by name; nil leaves that part unchanged. Unknown names throw
  /// `.invalidArgument`. No-op for object stores.
  func setOwner(_ path: String, owner: String?, group: String?) async throws

  /// Opens a file for positioned reads. Throws `.notFound` or `.failedPrecondition` (a directory).
  func openRead(_ path: String) async throws -> any UFSInputStream

  /// Starts writing a file that becomes visible under `path` only when the stream is closed,
  /// replacing any file already there.
  func create(_ path: String, mode: UInt16, createParents: Bool) async throws -> any UFSOutputStream

  /// Total and used bytes of the backing store; (-1, -1) when the store cannot tell.
  func capacity() async throws -> (total: Int64, used: Int64)
}

/// A file opened for reading. Reads are positioned, so one stream may serve concurrent readers.
public protocol UFSInputStream: Sendable {
  /// Up to `length` bytes at `offset`. Short only at end of file; empty at or after it.
  func read(offset: Int64, length: Int) async throws -> ByteBuffer

  /// Releases the stream; reads after close throw `.failedPrecondition`. Idempotent.
  func close() async
}

/// A file being written. Writes are sequential: callers must not overlap calls.
public protocol UFSOutputStream: Sendable {
  /// Appends the buffer's readable bytes.
  func write(_ buffer: ByteBuffer) async throws

  /// Makes the file visible under its final name. After a failed close nothing is left behind.
  func close() async throws

  /// Discards everything written; nothing is left behind. Idempotent, also after close.
  func abort() async
}
