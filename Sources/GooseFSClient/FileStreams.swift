import GooseFSCore
import NIOCore

/// Reads one completed file. Bytes come from workers (a local worker's block files when
/// short-circuit applies); a worker that fails mid-read is replaced by another replica or by a
/// worker reading the under store, without an error to the caller.
public protocol FileInStream: AnyObject, Sendable {
  var info: FileInfo { get }
  /// Reads from the current position and advances it; an empty buffer means end of file.
  func read(maxLength: Int) async throws -> ByteBuffer
  /// Reads at `position` without moving the sequential position; short only at end of file.
  func pread(at position: Int64, maxLength: Int) async throws -> ByteBuffer
  func seek(to position: Int64) throws
  /// Calls `body` with the `count` bytes at `position` read in place from a block file of a
  /// worker on this host (no copy), or returns nil when that does not apply (not local, or the
  /// range crosses a block end): then use `pread`. The bytes are valid only inside `body`.
  func withLocalBytes<T>(at position: Int64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) async throws -> T?
  /// `withLocalBytes` without waiting: only blocks this stream has already mapped (a caller on
  /// a thread that must not block, like libfuse's, answers from memory or falls back).
  func withMappedBytes<T>(at position: Int64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T?
  /// Without waiting: calls `body` with a block file of a worker on this host opened by this
  /// stream, and where in it the `count` bytes at `position` are (clipped at the end of the
  /// file), for a caller that hands the descriptor on (FUSE replies straight from it); nil when
  /// that does not apply. The descriptor is valid only inside `body`.
  func withLocalDescriptor<T>(
    at position: Int64, count: Int, _ body: (_ fd: Int32, _ offset: Int64, _ count: Int) throws -> T
  ) rethrows -> T?
  func close() async
}

extension FileInStream {
  public func withLocalBytes<T>(at position: Int64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) async throws -> T? {
    nil
  }

  public func withMappedBytes<T>(at position: Int64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
    nil
  }

  public func withLocalDescriptor<T>(
    at position: Int64, count: Int, _ body: (_ fd: Int32, _ offset: Int64, _ count: Int) throws -> T
  ) rethrows -> T? {
    nil
  }
}

/// Writes a new file through workers per its write type. `close()` completes the file in the
/// namespace; its success guarantees what docs/write-types.md says for the write type.
public protocol FileOutStream: AnyObject, Sendable {
  var path: String { get }
  /// The incomplete file as the master created it (owner, mode, ids).
  var created: FileInfo { get }
  var bytesWritten: Int64 { get }
  func write(_ buffer: ByteBuffer) async throws
  func close() async throws -> FileInfo
  /// `close` for the data, with the file's completion in the namespace sent to the master after
  /// it returns (in order, by the client: see docs/fuse.md "Write-behind"); the status returned
  /// is the file as it will be completed. Through write types complete in place.
  func closeCompletingLater() async throws -> FileInfo
  /// `closeCompletingLater` without waiting, when there is nothing to wait for: no block is open
  /// (nothing written since the last full block) and the completion queue has room. Nil when
  /// that does not hold (then call `closeCompletingLater`); the stream is then still open.
  func closeCompletingLaterNow() -> FileInfo?
  /// Abandons the file: nothing is committed and the incomplete file is removed.
  func cancel() async
}

extension FileOutStream {
  public func closeCompletingLater() async throws -> FileInfo { try await close() }
  public func closeCompletingLaterNow() -> FileInfo? { nil }
}

public struct OpenFileOptions: Sendable {
  public var readType: ReadType?
  public init(readType: ReadType? = nil) { self.readType = readType }
}

public struct FreeResult: Sendable, Equatable {
  public var freedBlockCount: Int64
  /// Refused: the cache holds their only copy.
  public var notPersistedPaths: [String]
  /// Refused because pinned (free without `forced`).
  public var pinnedPaths: [String]

  public init(freedBlockCount: Int64, notPersistedPaths: [String] = [], pinnedPaths: [String] = []) {
    self.freedBlockCount = freedBlockCount
    self.notPersistedPaths = notPersistedPaths
    self.pinnedPaths = pinnedPaths
  }
}

/// What `load` / `distributedLoad` asks for one file.
public struct CacheRequest: Sendable {
  /// Copies wanted on distinct workers.
  public var replication: Int
  /// Only the worker on this host (`fs load --local`).
  public var localOnly: Bool
  public init(replication: Int = 1, localOnly: Bool = false) {
    self.replication = replication
    self.localOnly = localOnly
  }
}

/// The data side of the client: streams, caching, freeing and the worker list.
public protocol DataFileSystem: FileSystem {
  func openFile(_ path: String, options: OpenFileOptions) async throws -> any FileInStream
  /// Opens a file from a status the caller holds (a metadata cache) without asking the master
  /// when that status suffices: complete, and with its blocks' locations, or small enough that a
  /// worker of this host is simply asked for its blocks. Otherwise as `openFile(path)`.
  func openFile(_ info: FileInfo, options: OpenFileOptions) async throws -> any FileInStream
  /// Without waiting: a stream of a small completed file whose every block this client can open
  /// from a local worker's block files by itself (`LocalFileInStream`), else nil (then use
  /// `openFile`). For callers on threads that must not block.
  func openLocallyNow(_ info: FileInfo) -> LocalFileInStream?
  /// Blocking the calling thread for one exchange with a worker: bytes `offset ..< offset +
  /// count` (short at the end of a block) of a small completed file whose block at `offset` a
  /// remote worker holds as of `info`, or nil when that does not apply or did not work (then use
  /// `openFile`, which fails over). For callers that may block, such as a libfuse thread.
  func readRemotelyNow(_ info: FileInfo, at offset: Int64, count: Int) -> ByteBuffer?
  /// Waits until the completions this client queued (`closeCompletingLater`) for `path` or
  /// under it reached the master; throws the first that failed since the last call.
  func waitForCompletions(under path: String) async throws
  func createFileStream(_ path: String, options: CreateFileOptions, writeType: WriteType?) async throws -> any FileOutStream
  func free(_ path: String, recursive: Bool, forced: Bool) async throws -> FreeResult
  /// Schedules persistence; returns once the file is PERSISTED (or throws).
  func persist(_ path: String) async throws
  /// Caches a completed file's blocks; `onBlock` is called after each block with its byte count.
  func cache(
    _ info: FileInfo, _ request: CacheRequest, onBlock: @escaping @Sendable (Int64) async -> Void
  ) async throws
  func workers() async throws -> [WorkerInfo]
}

extension DataFileSystem {
  public func openFile(_ info: FileInfo, options: OpenFileOptions) async throws -> any FileInStream {
    try await openFile(info.path, options: options)
  }

  public func openLocallyNow(_ info: FileInfo) -> LocalFileInStream? { nil }

  public func readRemotelyNow(_ info: FileInfo, at offset: Int64, count: Int) -> ByteBuffer? { nil }

  public func waitForCompletions(under path: String) async throws {}
}
