// Permission bits, enforcement and ownership. Must run as root: root sets up files and modes,
// then commands run as an unprivileged user (via setpriv) must be refused or allowed exactly as
// the mode bits say. On a FUSE mount this needs `allow_other` (otherwise the kernel refuses
// every other user outright) and permission checking (`default_permissions` or the daemon).
import Glibc

public enum PermissionChecks {
  /// Runs `chmodModes` and `accessAsOtherUser`, throwing all failures together.
  /// - Parameter checkSpecialModeBits: also require setuid/setgid/sticky bits to be stored and
  ///   the sticky bit to be enforced; set false for a file system that keeps only 0777 bits.
  public static func runAll(
    root: String, user: String = "nobody", group: String = "nogroup", checkSpecialModeBits: Bool = true
  ) throws(CheckFailure) {
    var failures: [String] = []
    for check in [
      { () throws in try chmodModes(root: root, checkSpecialModeBits: checkSpecialModeBits) },
      { () throws in
        try accessAsOtherUser(root: root, user: user, group: group, checkStickyBit: checkSpecialModeBits)
      },
    ] {
      do {
        try check()
      } catch let failure as CheckFailure {
        failures += failure.failures
      } catch {
        failures.append("permissions: \(error)")
      }
    }
    if !failures.isEmpty { throw CheckFailure(failures) }
  }

  /// chmod and fchmod to many modes, each read back with lstat/fstat; directory modes; the
  /// umask applied at create; chmod of a missing path.
  ///
  /// Note: briefly sets the process umask to 027 (umask is process-wide).
  public static func chmodModes(root: String, checkSpecialModeBits: Bool = true) throws {
    let ex = Expectations("chmodModes")
    let dir = try ScratchDirectory.fresh("perm-modes", in: root)
    let file = FileTree.join(dir, "file")
    try writeFile(file, Array("mode test\n".utf8))
    func expectMode(_ path: String, _ mode: mode_t, _ what: String) {
      let (outcome, info) = Sys.lstat(path)
      ex.expect(
        outcome.succeeded && info.st_mode & 0o7777 == mode,
        "\(what): mode \(String(info.st_mode & 0o7777, radix: 8)) (\(outcome)), expected \(String(mode, radix: 8))")
    }

    var fileModes: [mode_t] = [0o600, 0o640, 0o644, 0o700, 0o755, 0o444, 0o000, 0o777, 0o604]
    if checkSpecialModeBits { fileModes += [0o4755, 0o2755] }
    for mode in fileModes {
      ex.succeeds(Sys.chmod(file, mode), "chmod \(String(mode, radix: 8))")
      expectMode(file, mode, "after chmod \(String(mode, radix: 8))")
    }
    _ = Sys.chmod(file, 0o644)
    if case .success(let raw) = Sys.open(file, O_RDONLY) {
      let fd = Int32(raw)
      ex.succeeds(Sys.fchmod(fd, 0o640), "fchmod 640")
      let (outcome, info) = Sys.fstat(fd)
      ex.expect(outcome.succeeded && info.st_mode & 0o7777 == 0o640, "fstat after fchmod: \(String(info.st_mode & 0o7777, radix: 8))")
      _ = Sys.close(fd)
      expectMode(file, 0o640, "lstat after fchmod")
    } else {
      ex.fail("open for fchmod failed")
    }

    let sub = FileTree.join(dir, "sub")
    try Sys.mkdirOrThrow(sub)
    var directoryModes: [mode_t] = [0o700, 0o711, 0o755, 0o777]
    if checkSpecialModeBits { directoryModes += [0o1777, 0o2775] }
    for mode in directoryModes {
      ex.succeeds(Sys.chmod(sub, mode), "chmod directory \(String(mode, radix: 8))")
      expectMode(sub, mode, "directory after chmod \(String(mode, radix: 8))")
    }
    ex.failsWith(Sys.chmod(FileTree.join(dir, "missing"), 0o644), [ENOENT], "chmod of missing path")

    // The creator's umask must be applied (by the kernel or by the daemon).
    let previous = umask(0o027)
    let created = Sys.open(FileTree.join(dir, "umasked"), O_WRONLY | O_CREAT | O_EXCL, 0o666)
    let madeDirectory = Sys.mkdir(FileTree.join(dir, "umasked-dir"), 0o777)
    umask(previous)
    if case .success(let fd) = created { _ = Sys.close(Int32(fd)) }
    ex.succeeds(created, "create under umask 027")
    ex.succeeds(madeDirectory, "mkdir under umask 027")
    expectMode(FileTree.join(dir, "umasked"), 0o640, "file created 0666 under umask 027")
    expectMode(FileTree.join(dir, "umasked-dir"), 0o750, "directory created 0777 under umask 027")

    try ex.finish()
    try FileTree.remove(dir)
  }

  /// As root, sets up a 0600 file, a 0700 directory, a root-owned 0755 directory, a 0777
  /// directory and (optionally) a sticky 1777 directory; then as `user`: reading, listing,
  /// creating, deleting, appending, renaming and chmod where the modes forbid it must fail with
  /// "Permission denied" / "Operation not permitted", and after chmod 0644 / 0755 reading and
  /// listing must work. Files `user` creates must be owned by `user`:`group`.
  public static func accessAsOtherUser(
    root: String, user: String = "nobody", group: String = "nogroup", checkStickyBit: Bool = true
  ) throws {
    guard geteuid() == 0 else { throw CheckFailure(["permissions: must run as root (euid \(geteuid()))"]) }
    guard let account = getpwnam(user) else { throw CheckFailure(["permissions: no user \(user)"]) }
    guard let groupEntry = getgrnam(group) else { throw CheckFailure(["permissions: no group \(group)"]) }
    let userID = account.pointee.pw_uid
    let groupID = groupEntry.pointee.gr_gid
    let runner = OtherUser(user: user, group: group)

    // Every ancestor must be searchable by the user, or everything below fails for the wrong
    // reason. On a FUSE mount without allow_other this is where it shows.
    let reach = try runner.run("/usr/bin/test", ["-x", root])
    if !reach.succeeded {
      throw CheckFailure([
        "permissions: \(user) cannot search \(root) (exit \(reach.exitCode)); every ancestor needs o+x, "
          + "and a FUSE mount needs allow_other"
      ])
    }

    let ex = Expectations("accessAsOtherUser")
    let dir = try ScratchDirectory.fresh("perm-access", in: root, mode: 0o755)
    func p(_ relative: String) -> String { FileTree.join(dir, relative) }
    let secretText = "top secret\n"
    try writeFile(p("secret"), Array(secretText.utf8), mode: 0o600)
    _ = Sys.chmod(p("secret"), 0o600)
    try Sys.mkdirOrThrow(p("private"), 0o700)
    _ = Sys.chmod(p("private"), 0o700)
    try writeFile(p("private/inner"), Array("inner\n".utf8))
    _ = Sys.chmod(p("private/inner"), 0o644)
    try Sys.mkdirOrThrow(p("rootonly"), 0o755)
    _ = Sys.chmod(p("rootonly"), 0o755)
    try writeFile(p("rootonly/existing"), Array("existing\n".utf8))
    _ = Sys.chmod(p("rootonly/existing"), 0o644)
    try Sys.mkdirOrThrow(p("shared"), 0o777)
    _ = Sys.chmod(p("shared"), 0o777)

    func denied(_ what: String, _ tool: String, _ arguments: [String], message: String = "Permission denied") {
      do {
        let result = try runner.run(tool, arguments)
        ex.expect(
          !result.succeeded && result.stderr.contains(message),
          "\(what) as \(user) should fail with \"\(message)\": \(result)")
      } catch {
        ex.fail("\(what): cannot run: \(error)")
      }
    }
    @discardableResult
    func allowed(_ what: String, _ tool: String, _ arguments: [String]) -> String {
      do {
        let result = try runner.run(tool, arguments)
        ex.expect(result.succeeded, "\(what) as \(user) should succeed: \(result)")
        return result.stdout
      } catch {
        ex.fail("\(what): cannot run: \(error)")
        return ""
      }
    }

    denied("cat of a 0600 root file", "/usr/bin/cat", [p("secret")])
    denied("ls of a 0700 root directory", "/usr/bin/ls", [p("private")])
    denied("cat through a 0700 root directory", "/usr/bin/cat", [p("private/inner")])
    denied("touch in a 0755 root directory", "/usr/bin/touch", [p("rootonly/new")])
    ex.isMissing(p("rootonly/new"), "file refused to \(user)")
    denied("mkdir in a 0755 root directory", "/usr/bin/mkdir", [p("rootonly/sub")])
    denied("rm in a 0755 root directory", "/usr/bin/rm", ["-f", p("rootonly/existing")])
    ex.expect(Sys.lstat(p("rootonly/existing")).0.succeeded, "rootonly/existing must survive the refused rm")
    denied("append to a 0600 root file", "/bin/sh", ["-c", "printf x >> \"$1\"", "sh", p("secret")])
    denied("mv out of a 0755 root directory", "/usr/bin/mv", [p("rootonly/existing"), p("shared/stolen")])
    denied("chmod of a root file", "/usr/bin/chmod", ["0777", p("secret")], message: "Operation not permitted")
    ex.hasContents(p("secret"), Array(secretText.utf8), "secret after refused writes")

    let readable = allowed("cat of a 0644 file in a 0755 directory", "/usr/bin/cat", [p("rootonly/existing")])
    ex.expect(readable == "existing\n", "cat rootonly/existing printed \(readable.debugDescription)")
    allowed("touch in a 0777 directory", "/usr/bin/touch", [p("shared/mine")])
    let (mineOutcome, mine) = Sys.lstat(p("shared/mine"))
    ex.expect(
      mineOutcome.succeeded && mine.st_uid == userID && mine.st_gid == groupID,
      "file created by \(user) is owned by \(mine.st_uid):\(mine.st_gid) (\(mineOutcome)), expected \(userID):\(groupID)")
    let (secretOutcome, secretInfo) = Sys.lstat(p("secret"))
    ex.expect(
      secretOutcome.succeeded && secretInfo.st_uid == geteuid() && secretInfo.st_gid == getegid(),
      "file created by root is owned by \(secretInfo.st_uid):\(secretInfo.st_gid)")

    if checkStickyBit {
      try Sys.mkdirOrThrow(p("sticky"), 0o777)
      _ = Sys.chmod(p("sticky"), 0o1777)
      try writeFile(p("sticky/rootfile"), Array("root\n".utf8))
      _ = Sys.chmod(p("sticky/rootfile"), 0o666)
      denied("rm of root's file in a sticky directory", "/usr/bin/rm", ["-f", p("sticky/rootfile")], message: "Operation not permitted")
      ex.expect(Sys.lstat(p("sticky/rootfile")).0.succeeded, "sticky/rootfile must survive")
      allowed("append to a 0666 file in a sticky directory", "/bin/sh", ["-c", "printf x >> \"$1\"", "sh", p("sticky/rootfile")])
      ex.hasContents(p("sticky/rootfile"), Array("root\nx".utf8), "sticky/rootfile after append")
    }

    // Open up and try again.
    ex.succeeds(Sys.chmod(p("secret"), 0o644), "chmod secret 0644")
    ex.succeeds(Sys.chmod(p("private"), 0o755), "chmod private 0755")
    let secret = allowed("cat of the file after chmod 0644", "/usr/bin/cat", [p("secret")])
    ex.expect(secret == secretText, "cat secret printed \(secret.debugDescription)")
    let listing = allowed("ls of the directory after chmod 0755", "/usr/bin/ls", [p("private")])
    ex.expect(listing == "inner\n", "ls private printed \(listing.debugDescription)")
    allowed("cat through the directory after chmod 0755", "/usr/bin/cat", [p("private/inner")])
    denied("append to a 0644 root file", "/bin/sh", ["-c", "printf x >> \"$1\"", "sh", p("secret")])
    ex.hasContents(p("secret"), Array(secretText.utf8), "secret after refused append")

    try ex.finish()
    try FileTree.remove(dir)
  }
}

/// Runs commands as another user through util-linux setpriv (real and effective uid/gid, no
/// supplementary groups), so the kernel and the file system see an unprivileged caller.
struct OtherUser {
  let user: String
  let group: String

  func run(_ tool: String, _ arguments: [String]) throws -> CommandResult {
    try CommandRunner.run(
      "/usr/bin/setpriv",
      ["--reuid=\(user)", "--regid=\(group)", "--clear-groups", "--", tool] + arguments,
      workingDirectory: "/", timeout: .seconds(60))
  }
}
