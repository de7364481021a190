import Glibc
import Synchronization

/// An open block. While it is held the block is not evicted, moved or deleted (a removal waits
/// for the last release). Read through `fd` with the store's `BlockFileIO` at offsets below
/// `length`. Release it when done; dropping it releases it too.
public final class BlockReadLease: Sendable {
  public let blockID: Int64
  public let path: String
  public let length: Int64
  public let tierAlias: String
  /// Opened O_RDONLY (buffered); closed by `release()`.
  public let fd: Int32
  let store: TieredBlockStore
  private let released = Mutex(false)

  init(store: TieredBlockStore, blockID: Int64, path: String, length: Int64, tierAlias: String, fd: Int32) {
    self.store = store
    self.blockID = blockID
    self.path = path
    self.length = length
    self.tierAlias = tierAlias
    self.fd = fd
  }

  deinit { release() }

  /// Closes the descriptor and gives the block back to the store; the last lease of a removed
  /// block deletes its files on this thread. Idempotent.
  @available(*, noasync, message: "may delete files: use the async form")
  public func release() {
    if let deletion = releaseKeepingFiles() {
      store.deleteFiles(blockID, length: deletion.length, directory: deletion.directory, reason: "removed")
    }
  }

  /// Closes the descriptor (a read-only close is cheap anywhere) and gives the lease back;
  /// returns the block when its files are now to be deleted by the caller.
  func releaseKeepingFiles() -> BlockRecord? {
    let first = released.withLock { released in
      defer { released = true }
      return !released
    }
    guard first else { return nil }
    close(fd)
    return store.detachLease(blockID)
  }
}
