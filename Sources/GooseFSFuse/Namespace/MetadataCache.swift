import GooseFSCore
import Synchronization

/// The client metadata cache (`goosefs.user.metadata.cache.enabled`, `.max.size`,
/// `.expiration.time`): file statuses by path, filled by lookups and listings, dropped on every
/// change this daemon makes. Changes made by other clients show after the expiration time, as in
/// Alluxio.
final class MetadataCache: Sendable {
  private struct Entry {
    var info: FileInfo
    var expires: ContinuousClock.Instant
  }

  private let entries = Mutex<[String: Entry]>([:])
  /// Folders whose whole listing went into the cache, and until when that counts.
  private let listedFolders = Mutex<[String: ContinuousClock.Instant]>([:])
  let enabled: Bool
  let maxSize: Int
  private let lifetime: Duration

  init(enabled: Bool, maxSize: Int, lifetime: Duration) {
    self.enabled = enabled && maxSize > 0 && lifetime > .zero
    self.maxSize = maxSize
    self.lifetime = lifetime
  }

  func get(_ path: String) -> FileInfo? {
    guard enabled else { return nil }
    let now = ContinuousClock.now
    return entries.withLock { entries in
      guard let entry = entries[path] else { return nil }
      guard entry.expires > now else {
        entries[path] = nil
        return nil
      }
      return entry.info
    }
  }

  func put(_ info: FileInfo) { put([info]) }

  /// Records that `folder`'s listing was put in the cache (a lookup that misses in it then asks
  /// the master about the one name instead of listing again).
  func markListed(_ folder: String) {
    guard enabled else { return }
    let expires = ContinuousClock.now + lifetime
    listedFolders.withLock { folders in
      if folders.count >= 1024 { folders = folders.filter { $0.value > .now } }
      folders[folder] = expires
    }
  }

  func wasListed(_ folder: String) -> Bool {
    listedFolders.withLock { ($0[folder] ?? .now) > .now }
  }

  func put(_ infos: [FileInfo]) {
    guard enabled, !infos.isEmpty else { return }
    let expires = ContinuousClock.now + lifetime
    entries.withLock { entries in
      if entries.count + infos.count > maxSize { Self.makeRoom(&entries, for: infos.count, maxSize: maxSize) }
      for info in infos.prefix(maxSize) { entries[info.path] = Entry(info: info, expires: expires) }
    }
  }

  func invalidate(_ paths: String...) {
    guard enabled else { return }
    entries.withLock { entries in
      for path in paths { entries[path] = nil }
    }
  }

  /// Forgets `path` and everything under it (a rename moves a whole tree; O(entries)).
  func invalidateTree(_ path: String) {
    guard enabled else { return }
    let prefix = path == "/" ? "/" : path + "/"
    listedFolders.withLock { folders in
      folders = folders.filter { $0.key != path && !$0.key.hasPrefix(prefix) }
    }
    entries.withLock { entries in
      entries[path] = nil
      if entries.keys.contains(where: { $0.hasPrefix(prefix) }) {
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
      }
    }
  }

  /// Drops expired entries, then the oldest ones, until `count` more fit plus a tenth of the
  /// cache: making room is O(entries), so it must not happen on every put of a full cache.
  private static func makeRoom(_ entries: inout [String: Entry], for count: Int, maxSize: Int) {
    let now = ContinuousClock.now
    entries = entries.filter { $0.value.expires > now }
    let excess = entries.count + count + maxSize / 10 - maxSize
    guard excess > 0 else { return }
    for (path, _) in entries.sorted(by: { $0.value.expires < $1.value.expires }).prefix(excess) {
      entries[path] = nil
    }
  }
}
