import GooseFSCore
import GooseFSUFS
import Synchronization

/// Under-store clients for the mounts this worker reads or writes, built from what the master
/// holds for each mount (never from the worker's own environment). Options carry secrets: they
/// are kept here only and never logged.
final class MountedStores: Sendable {
  private let registry: UnderFileSystemRegistry
  private let fetch: @Sendable (Int64) async throws -> (uri: String, options: [String: String])
  private let clients = Mutex<[Int64: any UnderFileSystem]>([:])

  init(
    registry: UnderFileSystemRegistry = .standard,
    fetch: @escaping @Sendable (Int64) async throws -> (uri: String, options: [String: String])
  ) {
    self.registry = registry
    self.fetch = fetch
  }

  func store(forMount mountID: Int64) async throws -> any UnderFileSystem {
    if let cached = clients.withLock({ $0[mountID] }) { return cached }
    let info = try await fetch(mountID)
    let ufs = try registry.create(uri: info.uri, options: info.options)
    clients.withLock { $0[mountID] = ufs }
    return ufs
  }

  /// Drops a client whose calls fail, so the next use fetches the mount again (it may have been
  /// remounted elsewhere or given new credentials).
  func forget(mountID: Int64) {
    clients.withLock { _ = $0.removeValue(forKey: mountID) }
  }
}
