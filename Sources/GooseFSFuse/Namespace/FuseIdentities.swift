import GooseFSCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Local users and groups ↔ GooseFS owner and group names. Requests go to the master as the
/// calling process's user (the daemon runs as root); attributes show GooseFS owners as local ids
/// when `goosefs.fuse.user.group.translation.enabled` is on, otherwise as the mount's uid/gid.
final class FuseIdentities: Sendable {
  let translate: Bool
  let mountUID: uid_t
  let mountGID: gid_t

  private struct Names {
    var users: [uid_t: String] = [:]
    var groups: [gid_t: String] = [:]
    var uids: [String: uid_t] = [:]
    var gids: [String: gid_t] = [:]
  }

  private let names = Mutex(Names())

  init(translate: Bool, mountUID: uid_t, mountGID: gid_t) {
    self.translate = translate
    self.mountUID = mountUID
    self.mountGID = mountGID
  }

  /// Who the master should see for a request. Only the primary group is sent (the supplementary
  /// ones would cost a read of /proc per request).
  func caller(uid: uid_t, gid: gid_t) -> CallerIdentity {
    CallerIdentity(user: userName(uid), groups: [groupName(gid)])
  }

  func userName(_ uid: uid_t) -> String {
    cached(\.users, uid) {
      Self.lookUp(passwd(), { getpwuid_r(uid, &$0, $1, $2, &$3) }, { String(cString: $0.pw_name) }) ?? String(uid)
    }
  }

  func groupName(_ gid: gid_t) -> String {
    cached(\.groups, gid) {
      Self.lookUp(group(), { getgrgid_r(gid, &$0, $1, $2, &$3) }, { String(cString: $0.gr_name) }) ?? String(gid)
    }
  }

  /// The uid shown for a GooseFS owner: the local user of that name, else the name as a number,
  /// else the mount's uid.
  func uid(forOwner owner: String) -> uid_t {
    guard translate, !owner.isEmpty else { return mountUID }
    return cached(\.uids, owner) {
      Self.lookUp(passwd(), { getpwnam_r(owner, &$0, $1, $2, &$3) }, \.pw_uid) ?? uid_t(owner) ?? mountUID
    }
  }

  /// The gid shown for a GooseFS group, likewise.
  func gid(forGroup groupName: String) -> gid_t {
    guard translate, !groupName.isEmpty else { return mountGID }
    return cached(\.gids, groupName) {
      Self.lookUp(group(), { getgrnam_r(groupName, &$0, $1, $2, &$3) }, \.gr_gid) ?? gid_t(groupName) ?? mountGID
    }
  }

  /// The remembered answer for `key`, or `resolve`'s, remembered (the passwd and group files are
  /// read once per name: every request needs its caller's name).
  private func cached<Key: Hashable & Sendable, Value: Sendable>(
    _ table: WritableKeyPath<Names, [Key: Value]> & Sendable, _ key: Key, _ resolve: () -> Value
  ) -> Value {
    if let known = names.withLock({ $0[keyPath: table][key] }) { return known }
    let value = resolve()
    names.withLock { $0[keyPath: table][key] = value }
    return value
  }

  /// Runs a reentrant passwd/group lookup (the `_r` calls: libfuse calls us from several
  /// threads) and extracts from the entry found while its strings, which live in the lookup's
  /// buffer, are still valid.
  private static func lookUp<Entry, Value>(
    _ empty: Entry,
    _ lookup: (inout Entry, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<Entry>?) -> Int32,
    _ extract: (Entry) -> Value
  ) -> Value? {
    var entry = empty
    var result: UnsafeMutablePointer<Entry>?
    var buffer = [CChar](repeating: 0, count: 4096)
    return buffer.withUnsafeMutableBufferPointer { storage in
      guard lookup(&entry, storage.baseAddress!, storage.count, &result) == 0, result != nil else { return nil }
      return extract(entry)
    }
  }
}
