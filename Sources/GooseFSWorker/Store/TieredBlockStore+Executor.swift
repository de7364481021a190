import GooseFSCore
import Logging
import NIOCore

/// The async forms of the store's calls that touch disk. Each runs the synchronous form on the
/// store's I/O executor, so async code never does file I/O on the cooperative pool; the
/// synchronous forms are `noasync`, which makes the compiler pick these in async code.
extension TieredBlockStore {
  /// Opens the store (reading every tier directory) on `executor`.
  public static func open(
    layout: BlockStoreLayout, clusterID: String, io: any BlockFileIO, executor: BlockIOExecutor, logger: Logger,
    options: Options = Options()
  ) async throws -> TieredBlockStore {
    try await executor.run {
      try TieredBlockStore(layout: layout, clusterID: clusterID, io: io, executor: executor, logger: logger, options: options)
    }
  }

  public func openForRead(_ blockID: Int64) async throws -> BlockReadLease {
    try await executor.run { try self.openForRead(blockID) }
  }

  public func createBlock(
    _ blockID: Int64, tierAlias: String? = nil, expectedLength: Int64? = nil, persisted: Bool
  ) async throws -> BlockWriter {
    try await executor.run {
      try self.createBlock(blockID, tierAlias: tierAlias, expectedLength: expectedLength, persisted: persisted)
    }
  }

  public func remove(_ blockID: Int64) async throws {
    try await executor.run { try self.remove(blockID) }
  }

  @discardableResult
  public func promote(_ blockID: Int64) async throws -> Bool {
    try await executor.run { try self.promote(blockID) }
  }

  public func markPersisted(_ blockIDs: [Int64]) async throws {
    try await executor.run { self.markPersisted(blockIDs) }
  }

  public func adoptCluster(_ newClusterID: String) async throws {
    try await executor.run { self.adoptCluster(newClusterID) }
  }

  public func freeSpaceToLowWatermark() async throws {
    try await executor.run { self.freeSpaceToLowWatermark() }
  }
}

extension BlockWriter {
  /// Appends a buffer's readable bytes (the buffer is not copied: the I/O thread writes from it).
  public func write(_ buffer: ByteBuffer) async throws {
    try await store.executor.run { try buffer.withUnsafeReadableBytes { try self.write($0) } }
  }

  public func commit() async throws -> StoredBlockInfo {
    try await store.executor.run { try self.commit() }
  }

  /// Aborts on the I/O threads (or, once they are stopped, right here: see `submit`).
  public func abort() async {
    do {
      try await store.executor.run { self.abort() }
    } catch {
      store.executor.submit { self.abort() }
    }
  }
}

extension BlockReadLease {
  /// Gives the block back; the last lease of a removed block deletes its files on the I/O threads.
  public func release() async {
    guard let deletion = releaseKeepingFiles() else { return }
    let (store, blockID, length, directory) = (self.store, self.blockID, deletion.length, deletion.directory)
    let delete: @Sendable () -> Void = {
      store.deleteFiles(blockID, length: length, directory: directory, reason: "removed")
    }
    do {
      try await store.executor.run(delete)
    } catch {
      store.executor.submit(delete)
    }
  }
}
