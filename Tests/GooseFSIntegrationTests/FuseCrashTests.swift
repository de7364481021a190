import Foundation
import FuseTestKit
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// kill -9 of the FUSE daemon, and of the master, after `fsync`: nothing fsynced is lost, and what
/// was written after the last fsync is there whole or not at all, never as wrong bytes
/// (docs/fuse.md, "What a crash can lose"). The files stay open across the crash, so it is the
/// fsync that must have made them durable, not a close.
@Suite(.serialized) struct FuseCrashTests {
  static var canMount: Bool { FuseLifecycleTests.canMount }

  /// A file written through the mount and fsynced, still open.
  struct Written {
    var name: String
    var fd: Int32
    /// The contents when fsync returned.
    var synced: [UInt8]
    /// The contents with the writes made after the fsync (not synced), if there were any.
    var later: [UInt8]?

    func accepts(_ seen: Observed) -> Bool {
      guard case .file(_, let bytes) = seen else { return false }
      return bytes == synced || bytes == later
    }
  }

  /// Catches: a commit acknowledged to fsync but not yet made (a completion queued in the daemon
  /// and lost with it), a staged rewrite of an existing file whose fsync returned before its new
  /// version was complete, metadata (mkdir, rename) acknowledged and then lost, and a crash that
  /// leaves a file with bytes nobody wrote.
  @Test(.enabled(if: canMount), .timeLimit(.minutes(3)), arguments: ["default", "CACHE_THROUGH", "MUST_CACHE"])
  func whatWasFsyncedSurvivesAKillDashNineOfTheFuseDaemon(writeType: String) throws {
    let type = writeType == "default" ? nil : writeType
    let cluster = try LocalCluster()
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mountPoint = cluster.root.appendingPathComponent("mnt")
    let options = "allow_other,direct_io"
    var files: [Written] = []
    var unsynced: [(name: String, bytes: [UInt8])] = []
    var crashedLog = ""
    do {
      let mount = try TwoMounts.remount(cluster, at: mountPoint, options: options, writeType: type)
      files = try Self.writeFsyncedFiles(mount.path)
      unsynced = try Self.writeUnsyncedFiles(mount.path)
      mount.kill9()
      crashedLog = mount.log
    }
    // The connection died with the daemon: these closes reach nobody.
    for file in files { _ = Glibc.close(file.fd) }

    let remounted = try TwoMounts.remount(cluster, at: mountPoint, options: options, writeType: type)
    let context = "\n--- killed daemon's log (tail) ---\n\(crashedLog.suffix(2500))" + TwoMounts.context(cluster, [remounted])
    let lost = Self.lost(files, root: remounted.path)
    #expect(lost.isEmpty, "\(writeType): fsynced, then lost with the daemon: \(lost)\(context)")
    let damaged = Self.damaged(unsynced, root: remounted.path)
    #expect(damaged.isEmpty, "\(writeType): written without fsync, then damaged: \(damaged)\(context)")
    print("\(writeType): files written without fsync, after the daemon's kill -9: \(unsynced.map { "\($0.name): \(Observed(FileTree.join(remounted.path, $0.name)))" })")
    // The mount works on: a new file, and the names the crash left behind can be written again.
    try writeFile(FileTree.join(remounted.path, "after-the-crash"), bytes("still writable"))
    for file in unsynced { try writeFile(FileTree.join(remounted.path, file.name), bytes("rewritten")) }
  }

  /// Catches: a completion or a rename the master acknowledged before it was journaled, blocks
  /// whose locations are not known again once the worker re-registers with the new master, a
  /// daemon that never reconnects to the restarted master, and a close after the restart that
  /// reports success for bytes that are not there.
  @Test(.enabled(if: canMount), .timeLimit(.minutes(5)))
  func whatWasFsyncedSurvivesAKillDashNineOfTheMasterAndBothMountsRecover() throws {
    let mounts = try TwoMounts.start()
    let restart = try mounts.cluster.holdMasterStart()
    let files = try Self.writeFsyncedFiles(mounts.a.path)
    // Open, written, neither fsynced nor closed while the master dies.
    let inFlight = DataPattern.bytes(count: 200_000, seed: 99)
    let inFlightFD = Glibc.open(FileTree.join(mounts.a.path, "in-flight"), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
    try #require(inFlightFD >= 0, "open: \(ErrnoName.of(errno))")
    try check(inFlight.withUnsafeBytes { Sys.writeAll(inFlightFD, $0) }, "write in-flight")

    let begun = ContinuousClock.now
    func phase(_ text: String) { print("master crash: \(text) at \(String(format: "%.1f", (ContinuousClock.now - begun).seconds)) s") }
    mounts.cluster.killMaster()
    try mounts.cluster.startHeldMaster(restart)
    phase("master restarted")
    try mounts.cluster.waitForLiveWorkers(atLeast: 1)
    phase("worker live")
    let restarted = ContinuousClock.now
    // The daemons kept running; each must answer again (its calls retry while the master is away)
    // and show everything fsynced: `b` only knows what the master recovered.
    for mount in [mounts.b, mounts.a] {
      do {
        _ = try BoundedWait.until("\(mount.mountPoint.lastPathComponent) after the restart", bound: TwoMounts.visibilityBound, since: restarted) {
          let lost = Self.lost(files, root: mount.path)
          return lost.isEmpty ? nil : "\(lost)"
        }
      } catch {
        Issue.record("fsynced, then lost with the master: \(error)\(mounts.context)")
      }
    }

    phase("fsynced files checked")
    // Now the closes: they commit the writes made after the fsync. A close that succeeds must
    // have committed them; one that fails leaves the fsynced contents.
    var expected: [Written] = []
    for var file in files {
      let closed = Glibc.close(file.fd)
      if closed != 0, file.later == nil {
        Issue.record("\(file.name): close after the restart failed (\(ErrnoName.of(errno))) with nothing to commit\(mounts.context)")
      }
      if let later = file.later {
        if closed == 0 { file.synced = later } else { file.later = nil }
      }
      expected.append(file)
    }
    let inFlightClosed = Glibc.close(inFlightFD) == 0
    phase("closed")
    let closedAt = ContinuousClock.now
    do {
      _ = try BoundedWait.until("b after the closes", bound: TwoMounts.visibilityBound, since: closedAt) {
        var problems = Self.lost(expected, root: mounts.b.path)
        let seen = Observed(FileTree.join(mounts.b.path, "in-flight"))
        if inFlightClosed, seen != .file(mode: 0o644 & ~processUmask, bytes: inFlight) {
          problems.append("in-flight: closed without error but \(seen)")
        }
        problems += Self.damaged([("in-flight", inFlight)], root: mounts.b.path)
        return problems.isEmpty ? nil : "\(problems)"
      }
    } catch {
      Issue.record("\(error)\(mounts.context)")
    }
    print("a file open across the master's restart: close \(inFlightClosed ? "succeeded" : "failed"), b shows \(Observed(FileTree.join(mounts.b.path, "in-flight")))")
  }

  /// Catches a file whose committed version is given up before its new one is complete: an empty
  /// file, fsynced, then written on (the write starts a new version), and the daemon killed before
  /// the next fsync. Afterwards it must be empty or hold the new bytes.
  /// Known issue today: the new version is made with `createFile(overwrite: true)`, which removes
  /// the committed file first; it comes back incomplete or gone. (The commit of a staged rewrite
  /// has the same window; see docs/fuse.md, "What a crash can lose".)
  @Test(.enabled(if: canMount), .timeLimit(.minutes(2)))
  func anEmptyFileFsyncedThenWrittenSurvivesAKillDashNineOfTheDaemonEmptyOrWithItsNewBytes() throws {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mountPoint = cluster.root.appendingPathComponent("mnt")
    var fd: Int32 = -1
    do {
      let mount = try TwoMounts.remount(cluster, at: mountPoint, options: "allow_other,direct_io", writeType: nil)
      fd = Glibc.open(FileTree.join(mount.path, "empty"), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
      try #require(fd >= 0 && fsync(fd) == 0, "empty: \(ErrnoName.of(errno))")
      try check(bytes("after the fsync").withUnsafeBytes { Sys.writeAll(fd, $0) }, "write after the fsync")
      mount.kill9()
    }
    _ = Glibc.close(fd)
    let remounted = try TwoMounts.remount(cluster, at: mountPoint, options: "allow_other,direct_io", writeType: nil)
    let seen = Observed(FileTree.join(remounted.path, "empty"))
    let mode = 0o644 & ~processUmask
    withKnownIssue("a write after the fsync of an empty file replaces the committed file by an incomplete one at once") {
      #expect(
        seen == .file(mode: mode, bytes: []) || seen == .file(mode: mode, bytes: bytes("after the fsync")),
        "an empty file fsynced, written on, then the crash: \(seen)")
    }
  }

  /// Through `root`: new files of several sizes (some written on after their fsync), an existing
  /// file rewritten in place (a staged new version), a folder made and a file renamed (then the
  /// folder fsynced, as a client that delays metadata would need). Every fsync must succeed;
  /// every file stays open.
  static func writeFsyncedFiles(_ root: String) throws -> [Written] {
    try writeFile(FileTree.join(root, "existing"), DataPattern.bytes(count: 300_000, seed: 5))
    try writeFile(FileTree.join(root, "to-rename"), bytes("renamed before the crash"))
    let sizes = [0, 1, 4095, 4096, 65_537, 1 << 20, (1 << 20) + 3, (3 << 20) + 17]
    var files: [Written] = []
    for (index, size) in (sizes + sizes).enumerated() {
      let name = "synced-\(index)"
      let fd = Glibc.open(FileTree.join(root, name), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw PosixError("open", name, errno) }
      let data = DataPattern.bytes(count: size, seed: UInt64(index))
      try check(data.withUnsafeBytes { Sys.writeAll(fd, $0) }, "write \(name)")
      try check(SyscallOutcome(returning: fsync(fd)), "fsync \(name)")
      var file = Written(name: name, fd: fd, synced: data)
      // Written on after the fsync (not an empty one: that is the known issue of the rewrite test).
      if index >= sizes.count, size > 0 {
        let tail = DataPattern.bytes(count: 777, seed: UInt64(1000 + index))
        try check(tail.withUnsafeBytes { Sys.writeAll(fd, $0) }, "write after fsync \(name)")
        file.later = data + tail
      }
      files.append(file)
    }

    let fd = Glibc.open(FileTree.join(root, "existing"), O_RDWR | O_CLOEXEC)
    guard fd >= 0 else { throw PosixError("open", "existing", errno) }
    var contents = DataPattern.bytes(count: 300_000, seed: 5)
    let patch = DataPattern.bytes(count: 1000, seed: 6)
    contents.replaceSubrange(5000..<6000, with: patch)
    try check(patch.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: 5000) }, "pwrite existing")
    try check(SyscallOutcome(returning: fsync(fd)), "fsync existing")
    var later = contents
    later.replaceSubrange(9000..<10000, with: patch)
    try check(patch.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: 9000) }, "pwrite existing after fsync")
    files.append(Written(name: "existing", fd: fd, synced: contents, later: later))

    try Sys.mkdirOrThrow(FileTree.join(root, "made"))
    try check(Sys.rename(FileTree.join(root, "to-rename"), FileTree.join(root, "made/renamed")), "rename")
    for folder in [root, FileTree.join(root, "made")] {
      let folderFD = Glibc.open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard folderFD >= 0 else { throw PosixError("open", folder, errno) }
      let synced = fsync(folderFD)
      _ = Glibc.close(folderFD)
      try check(SyscallOutcome(returning: synced), "fsync of folder \(folder)")
    }
    // A closed descriptor of the renamed file stands for it in the checks (it has no writes after).
    let renamed = Glibc.open(FileTree.join(root, "made/renamed"), O_RDONLY | O_CLOEXEC)
    guard renamed >= 0 else { throw PosixError("open", "made/renamed", errno) }
    files.append(Written(name: "made/renamed", fd: renamed, synced: bytes("renamed before the crash")))
    return files
  }

  /// New files written but neither fsynced nor closed (the descriptors are left to the crash).
  static func writeUnsyncedFiles(_ root: String) throws -> [(name: String, bytes: [UInt8])] {
    try [0, 1, 2].map { index in
      let name = "unsynced-\(index)"
      let data = DataPattern.bytes(count: 100_000 * (index + 1), seed: UInt64(500 + index))
      let fd = Glibc.open(FileTree.join(root, name), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw PosixError("open", name, errno) }
      try check(data.withUnsafeBytes { Sys.writeAll(fd, $0) }, "write \(name)")
      return (name, data)
    }
  }

  /// The files that do not show their fsynced contents (or their later ones) through `root`.
  static func lost(_ files: [Written], root: String) -> [String] {
    var problems = files.compactMap { file -> String? in
      let seen = Observed(FileTree.join(root, file.name))
      return file.accepts(seen) ? nil : "\(file.name): \(seen), fsynced \(file.synced.count) bytes"
    }
    if Observed(FileTree.join(root, "to-rename")) != .missing { problems.append("to-rename: still there after its rename") }
    return problems
  }

  /// Unsynced files may be gone, or hold a prefix of what was written (today: the empty, still
  /// incomplete file the create made); anything else is damage.
  static func damaged(_ files: [(name: String, bytes: [UInt8])], root: String) -> [String] {
    files.compactMap { file in
      let path = FileTree.join(root, file.name)
      switch Observed(path) {
      case .missing: return nil
      case .file(_, let bytes) where file.bytes.starts(with: bytes): return nil
      // Still incomplete: size 0, and a read that reaches the daemon (direct_io) fails.
      case .failure(let text) where text.contains("EIO") && Sys.lstat(path).1.st_size == 0: return nil
      case let seen: return "\(file.name): \(seen)"
      }
    }
  }
}
