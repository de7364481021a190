import GooseFSCore
import Synchronization

/// The client metadata cache (`goosefs.user.metadata.cache.enabled`, `.max.size`,
/// `.expiration.time`): file statuses by path, filled by lookups and listings, and kept up to
/// date by the changes this daemon makes (a created file, a completed one, a new folder, an
/// unlink, a rename). Changes made by other clients show after the expiration time, as in
/// Alluxio.
///
/// A folder whose whole listing is in the cache is known complete (`markListed`, or a folder
/// this daemon created): a name missing from it does not exist (`lookup` says `.absent`), so
/// negative lookups need no call. The invariant: while a folder is marked, every child it had
/// in the master as of the listing, changed only by this daemon, has an entry. Anything that
/// drops an entry without knowing the child is gone (`invalidate`, making room) unmarks the
/// parent; the mark never outlives the entries it vouches for (it expires no later than them).
final class MetadataCache: Sendable {
  private struct Entry {
    var info: FileInfo
    var expires: ContinuousClock.Instant
  }

  private struct State {
    var entries: [String: Entry] = [:]
    /// Folders whose whole listing is in `entries`, and until when that counts.
    var listedFolders: [String: ContinuousClock.Instant] = [:]
    /// Entries dropped to make room, ever: a listing that saw a drop is not complete.
    var evictions = 0
  }

  /// Folders known complete at most; beyond, expired marks go, then all (a mark only saves calls).
  static let maxListedFolders = 4096

  private let state = Mutex(State())
  let enabled: Bool
  let maxSize: Int
  let lifetime: Duration

  /// What the cache knows of one path.
  enum Answer {
    case found(FileInfo)
    /// Its folder is known complete and the name is not in it.
    case absent
    case unknown
  }

  init(enabled: Bool, maxSize: Int, lifetime: Duration) {
    self.enabled = enabled && maxSize > 0 && lifetime > .zero
    self.maxSize = maxSize
    self.lifetime = lifetime
  }

  func get(_ path: String) -> FileInfo? {
    if case .found(let info) = lookup(path) { return info }
    return nil
  }

  func lookup(_ path: String) -> Answer {
    guard enabled else { return .unknown }
    let now = ContinuousClock.now
    return state.withLock { state in
      if let entry = state.entries[path] {
        if entry.expires > now { return .found(entry.info) }
        state.entries[path] = nil
      }
      let folder = Self.parent(path)
      guard folder != path, let until = state.listedFolders[folder] else { return .unknown }
      guard until > now else {
        state.listedFolders[folder] = nil
        return .unknown
      }
      return .absent
    }
  }

  func put(_ info: FileInfo) { put([info]) }

  func put(_ infos: [FileInfo]) {
    guard enabled, !infos.isEmpty else { return }
    let expires = ContinuousClock.now + lifetime
    state.withLock { state in
      if state.entries.count + infos.count > maxSize { Self.makeRoom(&state, for: infos.count, maxSize: maxSize) }
      for info in infos.prefix(maxSize) { state.entries[info.path] = Entry(info: info, expires: expires) }
    }
  }

  /// What `markListed` needs from before a listing started.
  struct ListingStart {
    fileprivate var time: ContinuousClock.Instant
    fileprivate var evictions: Int
  }

  func listingStart() -> ListingStart {
    ListingStart(time: .now, evictions: state.withLock { $0.evictions })
  }

  /// Records that `folder`'s whole listing, started at `start`, is in the cache: unless entries
  /// were dropped to make room meanwhile. Valid for the lifetime counted from the start, so no
  /// entry it vouches for expires before it.
  func markListed(_ folder: String, since start: ListingStart) {
    guard enabled else { return }
    state.withLock { state in
      guard state.evictions == start.evictions else { return }
      Self.mark(&state, folder, until: start.time + lifetime)
    }
  }

  /// A folder this daemon just created: empty, so complete (its own entry is `info`).
  func putCreatedFolder(_ info: FileInfo) {
    guard enabled else { return }
    let now = ContinuousClock.now
    put(info)
    state.withLock { Self.mark(&$0, info.path, until: now + lifetime) }
  }

  func wasListed(_ folder: String) -> Bool {
    guard enabled else { return false }
    return state.withLock { ($0.listedFolders[folder] ?? .now) > .now }
  }

  /// `path` changed in a way this daemon does not know the result of: its entry goes, and so
  /// does its folder's completeness (the name may or may not exist now).
  func invalidate(_ paths: String...) {
    guard enabled else { return }
    state.withLock { state in
      for path in paths {
        state.entries[path] = nil
        state.listedFolders[Self.parent(path)] = nil
      }
    }
  }

  /// `path` and everything under it no longer exist (unlink, rmdir, the source of a rename):
  /// its folder stays complete, without it. O(entries) only when something under it is cached.
  func removeTree(_ path: String) {
    guard enabled else { return }
    let prefix = path == "/" ? "/" : path + "/"
    state.withLock { state in
      state.entries[path] = nil
      state.listedFolders[path] = nil
      if state.listedFolders.keys.contains(where: { $0.hasPrefix(prefix) }) {
        state.listedFolders = state.listedFolders.filter { !$0.key.hasPrefix(prefix) }
      }
      if state.entries.keys.contains(where: { $0.hasPrefix(prefix) }) {
        state.entries = state.entries.filter { !$0.key.hasPrefix(prefix) }
      }
    }
  }

  /// Forgets `path` and everything under it, and what its folder's listing said (O(entries)).
  func invalidateTree(_ path: String) {
    guard enabled else { return }
    removeTree(path)
    invalidate(path)
  }

  /// This daemon added (`childDelta` 1) or removed (-1) a child of `folder`: its cached entry
  /// shows the change the master made (count and modification time) instead of being dropped,
  /// which would make its own folder incomplete.
  func touch(_ folder: String, childDelta: Int64, modifiedMs: Int64) {
    guard enabled else { return }
    state.withLock { state in
      guard var entry = state.entries[folder] else { return }
      entry.info.childCount = max(0, entry.info.childCount + childDelta)
      entry.info.lastModificationTimeMs = max(entry.info.lastModificationTimeMs, modifiedMs)
      state.entries[folder] = entry
    }
  }

  /// Drops expired entries, then the oldest ones, until `count` more fit plus a tenth of the
  /// cache: making room is O(entries), so it must not happen on every put of a full cache. The
  /// folders of dropped entries are no longer known complete.
  private static func makeRoom(_ state: inout State, for count: Int, maxSize: Int) {
    let now = ContinuousClock.now
    state.entries = state.entries.filter { $0.value.expires > now }
    let excess = state.entries.count + count + maxSize / 10 - maxSize
    guard excess > 0 else { return }
    state.evictions += 1
    for (path, _) in state.entries.sorted(by: { $0.value.expires < $1.value.expires }).prefix(excess) {
      state.entries[path] = nil
      state.listedFolders[parent(path)] = nil
    }
  }

  private static func mark(_ state: inout State, _ folder: String, until: ContinuousClock.Instant) {
    if state.listedFolders.count >= maxListedFolders {
      let now = ContinuousClock.now
      state.listedFolders = state.listedFolders.filter { $0.value > now }
      if state.listedFolders.count >= maxListedFolders { state.listedFolders = [:] }
    }
    state.listedFolders[folder] = until
  }

  private static func parent(_ path: String) -> String { FileSystemPaths.parent(path) }
}
