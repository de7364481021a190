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
    if let known = names.withLock({ $0.users[uid] }) { return known }
    var name = String(uid)
    var entry = passwd()
    var result: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 4096)
    if getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil {
      name = String(cString: entry.pw_name)
    }
    names.withLock { $0.users[uid] = name }
    return name
  }

  func groupName(_ gid: gid_t) -> String {
    if let known = names.withLock({ $0.groups[gid] }) { return known }
    var name = String(gid)
    var entry = group()
    var result: UnsafeMutablePointer<group>?
    var buffer = [CChar](repeating: 0, count: 4096)
    if getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil {
      name = String(cString: entry.gr_name)
    }
    names.withLock { $0.groups[gid] = name }
    return name
  }

  /// The uid shown for a GooseFS owner.
  func uid(forOwner owner: String) -> uid_t {
    guard translate, !owner.isEmpty else { return mountUID }
    if let known = names.withLock({ $0.uids[owner] }) { return known }
    var uid = mountUID
    var entry = passwd()
    var result: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 4096)
    if getpwnam_r(owner, &entry, &buffer, buffer.count, &result) == 0, result != nil {
      uid = entry.pw_uid
    } else if let number = uid_t(owner) {
      uid = number
    }
    names.withLock { $0.uids[owner] = uid }
    return uid
  }

  /// The gid shown for a GooseFS group.
  func gid(forGroup groupName: String) -> gid_t {
    guard translate, !groupName.isEmpty else { return mountGID }
    if let known = names.withLock({ $0.gids[groupName] }) { return known }
    var gid = mountGID
    var entry = group()
    var result: UnsafeMutablePointer<group>?
    var buffer = [CChar](repeating: 0, count: 4096)
    if getgrnam_r(groupName, &entry, &buffer, buffer.count, &result) == 0, result != nil {
      gid = entry.gr_gid
    } else if let number = gid_t(groupName) {
      gid = number
    }
    names.withLock { $0.gids[groupName] = gid }
    return gid
  }
}
