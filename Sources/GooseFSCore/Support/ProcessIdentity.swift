#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The identity of this process's user, as a client sends it and as the master's superuser.
public enum ProcessIdentity {
  /// `loginName` (goosefs.security.login.username) wins when set; else the effective user.
  public static func current(loginName: String? = nil) -> CallerIdentity {
    let uid = geteuid()
    let user = loginName.flatMap { $0.isEmpty ? nil : $0 } ?? userName(uid) ?? String(uid)
    return CallerIdentity(user: user, groups: groups(of: user, uid: uid))
  }

  static func userName(_ uid: uid_t) -> String? {
    guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
  }

  static func groupName(_ gid: gid_t) -> String? {
    guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return nil }
    return String(cString: name)
  }

  /// The user's groups, primary first (its name is the group new files get).
  static func groups(of user: String, uid: uid_t) -> [String] {
    guard let entry = getpwnam(user) else {
      // A login name this host does not know has no groups here; borrowing the process's groups
      // would hand it the permissions of whoever runs the client.
      return []
    }
    let primary = entry.pointee.pw_gid
    var count: Int32 = 64
    var ids = [gid_t](repeating: 0, count: Int(count))
    if getgrouplist(user, primary, &ids, &count) < 0 {
      ids = [gid_t](repeating: 0, count: Int(count))
      _ = getgrouplist(user, primary, &ids, &count)
    }
    var names = [groupName(primary) ?? String(primary)]
    for id in ids.prefix(Int(max(count, 0))) where id != primary {
      if let name = groupName(id), !names.contains(name) { names.append(name) }
    }
    return names
  }
}
