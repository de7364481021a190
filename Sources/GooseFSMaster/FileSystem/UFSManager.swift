import GooseFSCore
import GooseFSUFS
import Synchronization

/// One under-file-system client per mount, created on first use from the mount's URI and options.
final class UFSManager: Sendable {
  private let registry: UnderFileSystemRegistry
  private let clients = Mutex<[Int64: (uri: String, ufs: any UnderFileSystem)]>([:])

  init(registry: UnderFileSystemRegistry) {
    self.registry = registry
  }

  func create(uri: String, options: [String: String]) throws -> any UnderFileSystem {
    try registry.create(uri: uri, options: options)
  }

  func client(for mount: MountRecord) throws -> any UnderFileSystem {
    if let cached = clients.withLock({ $0[mount.mountID] }), cached.uri == mount.ufsUri {
      return cached.ufs
    }
    let ufs = try registry.create(uri: mount.ufsUri, options: mount.properties)
    clients.withLock { $0[mount.mountID] = (mount.ufsUri, ufs) }
    return ufs
  }

  func forget(mountID: Int64) {
    clients.withLock { _ = $0.removeValue(forKey: mountID) }
  }
}
