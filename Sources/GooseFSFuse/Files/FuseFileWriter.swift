import GooseFSClient
import GooseFSCore
import NIOCore
import Synchronization

/// The changes to one file made through the mount, shared by every handle writing it.
///
/// GooseFS files are written once, front to back. Writes that follow that pattern stream to the
/// workers as they come (`streaming`); anything else (a write elsewhere, an append to an existing
/// file, a truncate to a non-zero size) moves the file to a local staging copy, which becomes a new
/// version of the file on flush, fsync or close. Readers of the file through this mount see the
/// changes at once; other clients see them after the commit.
///
/// Every operation holds `lock` for its whole duration, awaits included; `length` and `version`
/// can be read without it (getattr must not wait behind a commit).
final class FuseFileWriter: @unchecked Sendable {
  private enum Mode {
    /// Same bytes as the committed file in GooseFS.
    case clean
    case streaming(any FileOutStream)
    case staging(StagingFile, dirty: Bool)
    /// A commit of the stream failed: what was written since the last commit is lost. Every
    /// later flush, fsync, write and read of this writer fails the same way until the last
    /// handle is closed, so an application that checks `close` or `fsync` learns of it (only a
    /// truncate to zero starts over).
    case failed(GooseFSError)
  }

  let node: UInt64
  private let fileSystem: any DataFileSystem
  private let nodes: FuseNodeTable
  private let stagingFolder: String
  /// Whose request opened the file: commits (from `release`, which carries no caller) act as them.
  private let identity: CallerIdentity
  /// A streamed file's commit leaves its completion on the master to the client's queue.
  private let completeLater: Bool
  private let lock = AsyncLock()
  // Guarded by `lock`:
  private var mode: Mode = .clean
  /// A modification time set (utimens) while changes were not committed yet: the commit stamps the
  /// file with its own time, so this one is applied right after it (a write in between drops it).
  private var requestedModificationTime: Int64?
  private let permissionBits: UInt32
  private let lengthValue: Atomic<Int64>
  private let versionValue = Atomic<Int>(0)
  private let lastCommittedValue = Mutex<FileInfo?>(nil)

  /// The file as the master completed it at the latest commit through this writer not taken yet
  /// (a read of a streamed file commits too, so the handle's close may find nothing left to
  /// commit); taken once, so a later change (chmod) is not overwritten by an older status.
  func takeCommitted() -> FileInfo? { lastCommittedValue.withLock { $0.take() } }

  /// The file's size as the writers see it.
  var length: Int64 { lengthValue.load(ordering: .acquiring) }
  /// Incremented by every commit that changed the file (readers opened before are stale).
  var version: Int { versionValue.load(ordering: .acquiring) }
  private func setLength(_ value: Int64) { lengthValue.store(value, ordering: .releasing) }
  private func bumpVersion() { versionValue.add(1, ordering: .releasing) }

  init(
    node: UInt64, length: Int64, mode: UInt32, fileSystem: any DataFileSystem, nodes: FuseNodeTable,
    stagingFolder: String, identity: CallerIdentity, completeLater: Bool = false
  ) {
    self.completeLater = completeLater
    self.node = node
    self.lengthValue = Atomic(length)
    self.permissionBits = mode
    self.fileSystem = fileSystem
    self.nodes = nodes
    self.stagingFolder = stagingFolder
    self.identity = identity
  }

  /// A new, empty file streamed to GooseFS (`create`).
  func adopt(_ stream: any FileOutStream) async throws {
    await lock.withLock {
      mode = .streaming(stream)
      setLength(0)
    }
  }

  func write(_ buffer: ByteBuffer, at offset: Int64) async throws {
    try await lock.withLock { try await writeLocked(buffer, at: offset) }
  }

  func truncate(to newLength: Int64) async throws {
    try await lock.withLock { try await truncateLocked(to: newLength) }
  }

  /// Bytes for a reader of this file through the mount, or nil when GooseFS has the same bytes
  /// (a streamed file is committed first so that it can be read back).
  func read(at offset: Int64, count: Int) async throws -> ByteBuffer? {
    try await lock.withLock { try await readLocked(at: offset, count: count) }
  }

  /// utimens: false when nothing is pending (the caller sets the time at once); true when the
  /// time will be applied after the pending changes are committed (`cp -p` sets it before close).
  func deferModificationTime(_ milliseconds: Int64) async throws -> Bool {
    await lock.withLock {
      switch mode {
      case .clean, .staging(_, dirty: false), .failed:
        return false
      case .streaming, .staging(_, dirty: true):
        requestedModificationTime = milliseconds
        return true
      }
    }
  }

  /// Makes GooseFS hold what the writers wrote (flush, fsync, release); returns the file as the
  /// master completed it, or nil when there was nothing to commit.
  @discardableResult
  func commit() async throws -> FileInfo? {
    try await lock.withLock { try await commitLocked() }
  }

  /// `commit` on the caller's thread when it needs no waiting: nothing to commit, or a streamed
  /// file whose completion can be queued right away (write-behind, no block open — an empty new
  /// file). False when `commit` must be awaited; the committed status is left for
  /// `takeCommitted` as by `commit`.
  func commitNow() -> Bool {
    lock.withLockIfFree { () -> Bool in
      guard requestedModificationTime == nil else { return false }
      switch mode {
      case .clean, .staging(_, dirty: false):
        return true
      case .streaming(let stream):
        guard completeLater,
          let info = MasterConnection.$actingCaller.withValue(identity, operation: { stream.closeCompletingLaterNow() })
        else { return false }
        mode = .clean
        bumpVersion()
        lastCommittedValue.withLock { $0 = info }
        return true
      case .staging(_, dirty: true), .failed:
        return false
      }
    } ?? false
  }

  /// Everything written is committed (the usual state at release: the close's flush committed
  /// it) and nobody holds the lock, checked without waiting. A settled writer has nothing for a
  /// release to commit and nothing for `close` to undo.
  var isSettledNow: Bool {
    lock.withLockIfFree { () -> Bool in
      guard case .clean = mode else { return false }
      return true
    } ?? false
  }

  /// The last handle closed.
  func close() async {
    await lock.withLock {
      await abandonStream()
      mode = .clean
    }
  }

  private func writeLocked(_ buffer: ByteBuffer, at offset: Int64) async throws {
    if case .failed(let error) = mode { throw error }
    requestedModificationTime = nil
    let end = offset + Int64(buffer.readableBytes)
    switch mode {
    case .streaming(let stream) where offset == length:
      try await stream.write(buffer)
      setLength(end)
      return
    case .clean where offset == 0 && length == 0:
      let stream = try await newStream()
      mode = .streaming(stream)
      try await stream.write(buffer)
      setLength(end)
      return
    default:
      break
    }
    let staging = try await stage()
    try staging.write(buffer, at: offset)
    setLength(max(length, end))
    mode = .staging(staging, dirty: true)
  }

  private func truncateLocked(to newLength: Int64) async throws {
    // Same size: nothing changes (and a clean file is not staged for nothing).
    guard newLength != length else { return }
    requestedModificationTime = nil
    if case .failed(let error) = mode, newLength != 0 { throw error }
    if newLength == 0 {
      // Nothing to keep: a new empty version streams like a created file.
      await abandonStream()
      mode = .streaming(try await newStream())
      setLength(0)
      return
    }
    let staging = try await stage()
    try staging.truncate(to: newLength)
    setLength(newLength)
    mode = .staging(staging, dirty: true)
  }

  private func readLocked(at offset: Int64, count: Int) async throws -> ByteBuffer? {
    switch mode {
    case .failed(let error):
      throw error
    case .clean:
      return nil
    case .streaming:
      try await commitLocked()
      return nil
    case .staging(let staging, _):
      guard offset < length else { return ByteBuffer() }
      return try staging.read(at: offset, count: Int(min(Int64(count), length - offset)))
    }
  }

  @discardableResult
  private func commitLocked() async throws -> FileInfo? {
    var info: FileInfo
    switch mode {
    case .clean, .staging(_, dirty: false):
      return nil
    case .failed(let error):
      throw error
    case .streaming(let stream):
      do {
        info = try await MasterConnection.$actingCaller.withValue(identity) {
          try await completeLater ? stream.closeCompletingLater() : stream.close()
        }
      } catch {
        let failure = error as? GooseFSError ?? GooseFSError(.ioError, "\(error)")
        mode = .failed(GooseFSError(failure.code, "An earlier commit of this file failed, its last writes are lost: \(failure.message)"))
        throw failure
      }
      mode = .clean
      bumpVersion()
    case .staging(let staging, dirty: true):
      info = try await upload(staging)
      mode = .staging(staging, dirty: false)
      bumpVersion()
    }
    if let time = requestedModificationTime {
      requestedModificationTime = nil
      let path = try path
      try await MasterConnection.$actingCaller.withValue(identity) {
        try await fileSystem.setAttribute(path, SetAttributeOptions(lastModificationTimeMs: time))
      }
      info.lastModificationTimeMs = time
    }
    lastCommittedValue.withLock { [info] in $0 = info }
    return info
  }

  private func abandonStream() async {
    if case .streaming(let stream) = mode { await stream.cancel() }
  }

  private var path: String {
    get throws {
      guard let path = nodes.path(of: node) else {
        throw GooseFSError(.notFound, "The file of node \(node) is gone.")
      }
      return path
    }
  }

  private func newStream() async throws -> any FileOutStream {
    let path = try path
    let options = CreateFileOptions(mode: permissionBits, overwrite: true)
    return try await MasterConnection.$actingCaller.withValue(identity) {
      try await fileSystem.createFileStream(path, options: options, writeType: nil)
    }
  }

  /// The staging copy, made on first need from what GooseFS holds (a streamed file is committed
  /// first: that is the quickest way to have all its bytes in one place).
  private func stage() async throws -> StagingFile {
    switch mode {
    case .staging(let staging, _):
      return staging
    case .streaming:
      try await commitLocked()
    case .failed(let error):
      throw error
    case .clean:
      break
    }
    let staging = try StagingFile(folder: stagingFolder)
    if length > 0 {
      let path = try path
      let input = try await MasterConnection.$actingCaller.withValue(identity) {
        try await fileSystem.openFile(path, options: OpenFileOptions())
      }
      var offset: Int64 = 0
      do {
        while offset < length {
          let chunk = try await input.read(maxLength: 1 << 20)
          guard chunk.readableBytes > 0 else { break }
          try staging.write(chunk, at: offset)
          offset += Int64(chunk.readableBytes)
        }
      } catch {
        await input.close()
        throw error
      }
      await input.close()
    }
    mode = .staging(staging, dirty: false)
    return staging
  }

  /// Writes the staging copy as the file's new version.
  private func upload(_ staging: StagingFile) async throws -> FileInfo {
    let path = try path
    let stream = try await newStream()
    do {
      var offset: Int64 = 0
      while offset < length {
        let chunk = try staging.read(at: offset, count: Int(min(Int64(1 << 20), length - offset)))
        guard chunk.readableBytes > 0 else {
          throw GooseFSError(.ioError, "The staging copy of \(path) is shorter than \(length) bytes.")
        }
        try await stream.write(chunk)
        offset += Int64(chunk.readableBytes)
      }
      return try await MasterConnection.$actingCaller.withValue(identity) { try await stream.close() }
    } catch {
      await stream.cancel()
      throw error
    }
  }
}
