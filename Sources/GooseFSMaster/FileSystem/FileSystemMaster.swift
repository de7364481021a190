import Foundation
import GooseFSCore
import GooseFSRPC
import GooseFSUFS
import Logging
import Synchronization

/// Settings the namespace operations read, taken from configuration once at start-up.
struct NamespaceSettings: Sendable {
  var defaultBlockSizeBytes: Int64
  /// goosefs.user.file.metadata.sync.interval: -1 load once, 0 always, N ms.
  var defaultSyncIntervalMs: Int64
  var umask: UInt32
  var listPageSize: Int
  /// goosefs.master.metadata.sync.concurrency.level: directories listed at once by a recursive sync.
  var syncConcurrency: Int = 6
}

/// The namespace master: resolves paths through the mount table, keeps inodes in step with the
/// under stores, checks permissions, and journals every change through `JournaledNamespace`.
///
/// Under-store calls are made without holding the namespace lock; each mutation re-validates its
/// preconditions against the state it is applied to.
final class FileSystemMaster: Sendable {
  let namespace: JournaledNamespace
  let ufsManager: UFSManager
  let permissions: PermissionChecker
  let blockMaster: BlockMaster
  let settings: NamespaceSettings
  let logger: Logger
  let clock: @Sendable () -> Int64
  /// Last time each directory's children were listed from its under store (memory only: after a
  /// restart the first access re-lists, which is what a sync interval asks for anyway).
  let lastSyncTimes = Mutex<[Int64: Int64]>([:])

  init(
    namespace: JournaledNamespace, ufsManager: UFSManager, permissions: PermissionChecker,
    settings: NamespaceSettings, logger: Logger, blockMaster: BlockMaster? = nil,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.namespace = namespace
    self.blockMaster = blockMaster ?? BlockMaster(workerTimeout: .seconds(300), logger: logger)
    self.ufsManager = ufsManager
    self.permissions = permissions
    self.settings = settings
    self.logger = logger
    self.clock = clock
  }

  var now: Int64 { clock() }

  func syncInterval(_ requested: Int64?) -> Int64 {
    requested ?? settings.defaultSyncIntervalMs
  }

  /// The inode at `path`, or Alluxio's "does not exist" error.
  func existing(_ path: String, in state: borrowing NamespaceState) throws -> InodeRecord {
    guard let inode = state.inode(at: path) else { throw GooseFSError.pathDoesNotExist(path) }
    return inode
  }

  /// Checks execute permission on the ancestors of `path` and `access` on its last existing inode.
  func checkAccess(
    _ caller: CallerIdentity, _ access: PermissionChecker.Access?, path: String,
    in state: borrowing NamespaceState
  ) throws {
    let chain = state.existingPrefix(of: path)
    try permissions.checkTraversal(caller, chain: chain, path: path)
    if let access, let last = chain.last {
      try permissions.check(caller, access, on: last, path: path)
    }
  }

  /// A copy of the parent's record with a new modification time, as an upsert entry.
  func touchedParent(_ parentID: Int64, in state: borrowing NamespaceState, at time: Int64) -> JournalEntry? {
    guard var parent = state.inodes[parentID] else { return nil }
    parent.lastModificationTimeMs = time
    return .with { $0.upsertInode = parent }
  }
}
