import GooseFSCore

/// POSIX permission checks on the caller's identity (SIMPLE authentication).
struct PermissionChecker: Sendable {
  enum Access: UInt32 {
    case read = 4
    case write = 2
    case execute = 1

    var symbol: String {
      switch self {
      case .read: "r--"
      case .write: "-w-"
      case .execute: "--x"
      }
    }
  }

  /// goosefs.security.authorization.permission.enabled (Fluid turns it off).
  var enabled: Bool
  /// The master's own user: it may do anything, like root on a local file system.
  var superuser: String
  /// Members of this group are superusers too (goosefs.security.authorization.permission.supergroup).
  var supergroup: String

  func isSuperuser(_ caller: CallerIdentity) -> Bool {
    !enabled || caller.user == superuser || caller.groups.contains(supergroup)
  }

  func allows(_ caller: CallerIdentity, _ access: Access, on inode: InodeRecord) -> Bool {
    if isSuperuser(caller) { return true }
    let mode = inode.mode
    let bits: UInt32 =
      if caller.user == inode.owner {
        (mode >> 6) & 7
      } else if caller.groups.contains(inode.group) {
        (mode >> 3) & 7
      } else {
        mode & 7
      }
    return bits & access.rawValue != 0
  }

  func check(_ caller: CallerIdentity, _ access: Access, on inode: InodeRecord, path: String) throws {
    guard allows(caller, access, on: inode) else {
      throw GooseFSError(
        .permissionDenied,
        "Permission denied: user=\(caller.user), access=\(access.symbol), path=\(path): failed at "
          + "\(inode.name.isEmpty ? "/" : inode.name), inode owner=\(inode.owner), inode group=\(inode.group), "
          + "inode mode=\(ModeString.permissions(inode.mode))"
      )
    }
  }

  /// Execute permission on every directory from the root down to (not including) the last inode.
  func checkTraversal(_ caller: CallerIdentity, chain: [InodeRecord], path: String) throws {
    for inode in chain.dropLast() {
      try check(caller, .execute, on: inode, path: path)
    }
  }

  /// Only the owner (or a superuser) may change the mode.
  func checkOwner(_ caller: CallerIdentity, of inode: InodeRecord, path: String) throws {
    guard isSuperuser(caller) || caller.user == inode.owner else {
      throw GooseFSError(.permissionDenied, "Permission denied: user=\(caller.user) is not the owner of path=\(path)")
    }
  }
}
