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

  /// CACHE_PROMOTE: best effort. A read never fails because its block could not move up; a full
  /// top tier is routine, anything else is worth a line in the log.
  func promote(_ blockID: Int64) async {
    do {
      try await store.promote(blockID)
    } catch let error as GooseFSError where error.code == .resourceExhausted || error.code == .notFound {
      logger.debug("Block \(blockID) not promoted: \(error)")
    } catch {
      logger.warning("Could not promote block \(blockID): \(error)")
    }
  }
}
