import GooseFSCore
import GooseFSRPC
import GooseFSUFS
import Logging
import NIOCore
import NIOPosix

/// Everything the block handlers share: the store, the under stores, the master link, counters.
struct WorkerContext: Sendable {
  let store: TieredBlockStore
  let io: any BlockFileIO
  let master: MasterSync
  let mounts: MountedStores
  let ufsStreams: UFSInputStreams
  let caching: CachingBlocks
  let asyncCache: AsyncCacheQueue
  let persists: PersistQueue
  /// Connections to other workers (persisting a file whose blocks are spread out).
  let pool: BlockConnectionPool
  let metrics: WorkerMetrics
  let settings: WorkerSettings
  let logger: Logger

  /// Tells the master a block became readable here. A failure is logged, not fatal: the next
  /// heartbeat reports the block anyway (it reports it in any case; adding a location twice is
  /// harmless, whereas draining the store's changes here would lose other blocks' removals).
  func commit(_ block: StoredBlockInfo) async {
    do {
      try await master.commitBlock(block, store: store)
    } catch {
      logger.warning("Could not commit block \(block.blockID) to the master (the heartbeat will report it): \(error)")
    }
  }
}

extension BlockWriter {
  /// Appends a buffer's readable bytes. Block files are written synchronously: tier writes land
  /// in tmpfs or the page cache, and `commit` is where the store makes them durable.
  func write(_ buffer: ByteBuffer) async throws {
    try buffer.withUnsafeReadableBytes { try self.write($0) }
  }
}
