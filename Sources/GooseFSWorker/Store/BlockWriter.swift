import Glibc
import GooseFSCore
import Synchronization

/// Writes one block: appends to a temporary file whose space is reserved before each write
/// (evicting if needed), then `commit` makes it a stored block or `abort` throws it away.
/// Dropping an unfinished writer aborts it.
///
/// The synchronous calls block (file I/O, possibly eviction) and are `noasync`; async code uses
/// their async forms (TieredBlockStore+Executor.swift), which run them on the store's I/O threads.
/// A writer serves one stream; concurrent calls on the same writer are serialised.
public final class BlockWriter: Sendable {
  public let blockID: Int64
  public let tierAlias: String
  let store: TieredBlockStore
  private let directory: Int
  private let temporaryPath: String
  private let persisted: Bool

  private struct State {
    var fd: Int32
    var written: Int64 = 0
    var reserved: Int64
    var finished = false
    /// O_DIRECT is on for the descriptor; turned off at the first unaligned write.
    var direct: Bool
  }

  private let state: Mutex<State>

  init(
    store: TieredBlockStore, blockID: Int64, directory: Int, temporaryPath: String, fd: Int32, direct: Bool,
    reserved: Int64, persisted: Bool
  ) {
    self.store = store
    self.blockID = blockID
    self.directory = directory
    self.temporaryPath = temporaryPath
    self.persisted = persisted
    tierAlias = store.locations[directory].tierAlias
    state = Mutex(State(fd: fd, reserved: reserved, direct: direct))
  }

  deinit { abort() }

  public var bytesWritten: Int64 { state.withLock { $0.written } }

  /// Whether writes currently bypass the page cache (see `DirectIO`).
  public var usesDirectIO: Bool { state.withLock { $0.direct } }

  /// Appends `bytes`. Throws `resourceExhausted` (the writer stays usable, e.g. to abort) when the
  /// directory cannot make room for them.
  @available(*, noasync, message: "writes a file: use the async form")
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    try state.withLock { state in
      guard !state.finished else {
        throw GooseFSError(.failedPrecondition, "The writer of block \(blockID) is already committed or aborted")
      }
      let end = state.written + Int64(bytes.count)
      if end > state.reserved {
        _ = try store.reserve(end - state.reserved, for: blockID, in: .directory(directory))
        state.reserved = end
      }
      if state.direct && !DirectIO.isAligned(bytes, offset: state.written) {
        try DirectIO.setEnabled(false, fd: state.fd)
        state.direct = false
      }
      do {
        try store.io.writeFully(fd: state.fd, from: bytes, at: state.written)
      } catch {
        throw TieredBlockStore.annotate(error, "Cannot write block \(blockID) in \(store.locations[directory].name)")
      }
      state.written = end
    }
  }

  @available(*, noasync, message: "writes a file: use the async form")
  public func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Makes the block readable and reports it; the writer is finished either way.
  @available(*, noasync, message: "fsyncs and renames files: use the async form")
  public func commit() throws -> StoredBlockInfo {
    let finished = try state.withLock { state in
      guard !state.finished else {
        throw GooseFSError(.failedPrecondition, "The writer of block \(blockID) is already committed or aborted")
      }
      state.finished = true
      return state
    }
    return try store.commitBlock(
      blockID, directory: directory, temporaryPath: temporaryPath, fd: finished.fd, length: finished.written,
      reserved: finished.reserved, persisted: persisted)
  }

  /// Deletes the partial block and frees its reservation. Idempotent; a no-op after commit.
  /// (`deinit` calls it wherever the last reference goes; async code aborts explicitly first.)
  @available(*, noasync, message: "deletes a file: use the async form")
  public func abort() {
    let unfinished = state.withLock { state -> State? in
      guard !state.finished else { return nil }
      state.finished = true
      return state
    }
    guard let unfinished else { return }
    close(unfinished.fd)
    do {
      try BlockFiles.remove(temporaryPath)
    } catch {
      // Start-up discards temporary files, so the space comes back at the next start.
      store.logger.error("Could not delete the partial block file \(temporaryPath): \(error)")
    }
    store.finishWriting(blockID, releasing: unfinished.reserved, in: directory)
  }
}
