import GooseFSCore
import GooseFSUFS
import Synchronization

/// One under-file-system client per mount, created on first use from the mount's URI and options.
///
/// A mount's options are laid over the master's cluster-wide `goosefs.underfs.*` properties (an S3
/// endpoint or a timeout is usually set once for all mounts); the mount's own options win.
final class UFSManager: Sendable {
  private let registry: UnderFileSystemRegistry
  private let baseOptions: [String: String]
  private let clients = Mutex<[Int64: (uri: String, ufs: any UnderFileSystem)]>([:])

  init(registry: UnderFileSystemRegistry, baseOptions: [String: String] = [:]) {
    self.registry = registry
    self.baseOptions = baseOptions
  }

  func create(uri: String, options: [String: String]) throws -> any UnderFileSystem {
    try registry.create(uri: uri, options: baseOptions.merging(options) { _, mount in mount })
  }

  /// A mount's options over the cluster-wide ones: what workers use to reach the same store.
  func options(for mount: MountRecord) -> [String: String] {
    baseOptions.merging(mount.properties) { _, mount in mount }
  }

  func client(for mount: MountRecord) throws -> any UnderFileSystem {
    if let cached = clients.withLock({ $0[mount.mountID] }), cached.uri == mount.ufsUri {
      return cached.ufs
    }
    let ufs = try create(uri: mount.ufsUri, options: mount.properties)
    clients.withLock { $0[mount.mountID] = (mount.ufsUri, ufs) }
    return ufs
  }

  func forget(mountID: Int64) {
    clients.withLock { _ = $0.removeValue(forKey: mountID) }
  }
}
