import GooseFSCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Translates between numeric ids and user/group names through the system's user database.
///
/// Lookups can read /etc/passwd on every call (or ask NSS over the network), so a listing keeps
/// one instance and pays once per distinct id rather than once per entry. Not shared across calls:
/// names may change, and a short-lived cache needs no locking.
struct LocalIdentityNames {
  private var users: [uid_t: String] = [:]
  private var groups: [gid_t: String] = [:]

  /// The user name, or the number as text when the id has no entry (common in containers).
  mutating func userName(_ uid: uid_t) -> String {
    if let cached = users[uid] { return cached }
    let name = Self.lookUpUser(uid) ?? String(uid)
    users[uid] = name
    return name
  }

  mutating func groupName(_ gid: gid_t) -> String {
    if let cached = groups[gid] { return cached }
    let name = Self.lookUpGroup(gid) ?? String(gid)
    groups[gid] = name
    return name
  }

  /// The uid for a user name. A purely numeric name with no entry is taken as the id itself, the
  /// mirror image of `userName` (so an owner read from a listing can be written back).
  static func userID(named name: String) -> uid_t? {
    var entry = passwd()
    let found: uid_t? = withLookupBuffer { buffer in
      var result: UnsafeMutablePointer<passwd>?
      let code = getpwnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
      return (code, result == nil ? nil : entry.pw_uid)
    }
    return found ?? uid_t(name)
  }

  static func groupID(named name: String) -> gid_t? {
    var entry = group()
    let found: gid_t? = withLookupBuffer { buffer in
      var result: UnsafeMutablePointer<group>?
      let code = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
      return (code, result == nil ? nil : entry.gr_gid)
    }
    return found ?? gid_t(name)
  }

  private static func lookUpUser(_ uid: uid_t) -> String? {
    var entry = passwd()
    return withLookupBuffer { buffer in
      var result: UnsafeMutablePointer<passwd>?
      let code = getpwuid_r(uid, &entry, buffer.baseAddress!, buffer.count, &result)
      return (code, result.map { String(cString: $0.pointee.pw_name) })
    }
  }

  private static func lookUpGroup(_ gid: gid_t) -> String? {
    var entry = group()
    return withLookupBuffer { buffer in
      var result: UnsafeMutablePointer<group>?
      let code = getgrgid_r(gid, &entry, buffer.baseAddress!, buffer.count, &result)
      return (code, result.map { String(cString: $0.pointee.gr_name) })
    }
  }

  /// Runs a `get*_r` call with a scratch buffer, growing it while the call reports ERANGE (large
  /// groups have long member lists). Any other failure counts as "no entry".
  private static func withLookupBuffer<T>(
    _ body: (UnsafeMutableBufferPointer<CChar>) -> (code: Int32, value: T?)
  ) -> T? {
    var size = 1024
    while size <= 1 << 20 {
      let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: size)
      defer { buffer.deallocate() }
      let outcome = body(buffer)
      if outcome.code == ERANGE {
        size *= 4
        continue
      }
      return outcome.value
    }
    return nil
  }
}
