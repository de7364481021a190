import Foundation
import FuseTestKit
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 11's correctness acceptance with real processes: two mounts of one cluster (two
/// daemons, metadata cache on) see each other's changes within the documented time, exclusive
/// creates racing on both have one winner, a 10k-file tree written on one reads back on the other.
/// Written against today's synchronous metadata path and meant to keep guarding it while lookups,
/// creates and completions move into the client. Crashes: `FuseCrashTests`.
@Suite(.serialized) struct TwoMountConsistencyTests {
  static var canMount: Bool { FuseLifecycleTests.canMount }
  static var hasRsync: Bool { access("/usr/bin/rsync", X_OK) == 0 }
  /// Files in the tree of `aTreeUnpackedAndSyncedOntoOneMountListsAndHashesTheSameOnTheOther`
  /// (`GOOSEFS_TREE_FILES`). Issue 11 asks for 10,000; a debug build creates ≈10 files/s through
  /// the mount under a loaded CI machine (tar -x of 10k ≈ 18 min), so debug runs default to 500
  /// (≈2 min, inside the suite's share of CI) until creates are fast.
  static let treeFiles: Int = {
    if let value = ProcessInfo.processInfo.environment["GOOSEFS_TREE_FILES"].flatMap({ Int($0) }) { return value }
    #if DEBUG
      return 500
    #else
      return 10_000
    #endif
  }()
  static let raceNames = 1000

  // MARK: Visibility

  /// Catches a daemon that keeps showing the old state past its cache's expiration: a negative
  /// lookup answered from a cached listing that is never refreshed, a create kept in the creator's
  /// cache that the other side does not see (or that the creator itself shows wrongly), a rename
  /// of a folder that leaves its children at the old path, kernel pages kept across opens of a
  /// file another client rewrote (`b` mounts with kernel_cache), and a state that flips back to
  /// stale after the bound.
  @Test(.enabled(if: canMount), .timeLimit(.minutes(3)))
  func changesThroughOneMountShowOnTheOtherWithinTheCacheExpirationPlusTheKernelTimeouts() throws {
    let mounts = try TwoMounts.start()
    for (round, (changer, observer)) in [(mounts.a, mounts.b), (mounts.b, mounts.a)].enumerated() {
      do {
        let delays = try Self.visibilityRound(changer: changer, observer: observer, folder: "round\(round)")
        let slowest = delays.max { $0.value < $1.value }
        print(
          "\(changer.mountPoint.lastPathComponent) → \(observer.mountPoint.lastPathComponent): every change seen within "
            + "\(String(format: "%.2f", slowest?.value ?? 0)) s (slowest: \(slowest?.key ?? "-"); bound \(TwoMounts.visibilityBound) s)")
      } catch {
        Issue.record("\(changer.mountPoint.lastPathComponent) → \(observer.mountPoint.lastPathComponent): \(error)\(mounts.context)")
      }
    }
  }

  /// One direction: `observer` makes the starting state (so its own caches hold it, negative
  /// lookups of the names to come included), `changer` changes it, `observer` must show the new
  /// state of every path within the bound, and still show it at a probe after the bound.
  /// Returns, per path, the seconds after its change when `observer` first showed it.
  static func visibilityRound(changer: FuseMount, observer: FuseMount, folder: String) throws -> [String: Double] {
    let mine = FileTree.join(observer.path, folder)
    let theirs = FileTree.join(changer.path, folder)
    let file = 0o666 & ~processUmask
    let directory = 0o777 & ~processUmask
    let original = (rename: bytes("renamed, contents kept"), overwrite: DataPattern.bytes(count: 1000, seed: 1),
      patch: DataPattern.bytes(count: 5000, seed: 2), append: DataPattern.bytes(count: 100, seed: 3))

    try Sys.mkdirOrThrow(mine)
    try writeFile(FileTree.join(mine, "unlink-me"), bytes("to be unlinked"))
    try writeFile(FileTree.join(mine, "rename-me"), original.rename)
    try writeFile(FileTree.join(mine, "overwrite-me"), original.overwrite)
    try writeFile(FileTree.join(mine, "patch-me"), original.patch)
    try writeFile(FileTree.join(mine, "append-me"), original.append)
    try writeFile(FileTree.join(mine, "chmod-me"), bytes("mode changes"))
    try Sys.mkdirOrThrow(FileTree.join(mine, "dir-to-remove"))
    try Sys.mkdirOrThrow(FileTree.join(mine, "dir-to-move"))
    try writeFile(FileTree.join(mine, "dir-to-move/inside"), bytes("moves with its folder"))
    let madeAt = ContinuousClock.now

    var before: [String: String] = [
      "unlink-me": Observed.file(mode: file, bytes: bytes("to be unlinked")).description,
      "rename-me": Observed.file(mode: file, bytes: original.rename).description,
      "renamed": Observed.missing.description,
      "overwrite-me": Observed.file(mode: file, bytes: original.overwrite).description,
      "patch-me": Observed.file(mode: file, bytes: original.patch).description,
      "append-me": Observed.file(mode: file, bytes: original.append).description,
      "chmod-me": Observed.file(mode: file, bytes: bytes("mode changes")).description,
      "dir-to-remove": Observed.directory(mode: directory).description,
      "dir-to-move": Observed.directory(mode: directory).description,
      "dir-to-move/inside": Observed.file(mode: file, bytes: bytes("moves with its folder")).description,
      "moved-dir": Observed.missing.description,
      "moved-dir/inside": Observed.missing.description,
      "created-file": Observed.missing.description,
      "created-dir": Observed.missing.description,
    ]
    before["ls:"] = listing(before)
    before["ls:dir-to-move"] = listing(before, in: "dir-to-move")
    before["ls:moved-dir"] = listing(before, in: "moved-dir")

    // A mount shows its own changes at once, and now has all of them cached (listed, read,
    // looked up: the names still to come are negative lookups of a folder listed completely).
    let own = differences(expected: before, root: mine)
    if !own.isEmpty { throw CheckFailure(["the observer's own changes, at once: " + own.joined(separator: "; ")]) }
    _ = try BoundedWait.until("the changer sees the observer's changes", bound: TwoMounts.visibilityBound, since: madeAt) {
      let wrong = differences(expected: before, root: theirs)
      return wrong.isEmpty ? nil : wrong.joined(separator: "; ")
    }

    var after = before
    var changedAt: [String: ContinuousClock.Instant] = [:]
    func change(_ paths: [String], _ body: () throws -> Void) throws {
      try body()
      for path in paths { changedAt[path] = .now }
    }
    let created = bytes("created through the other mount")
    try change(["created-file"]) {
      try writeFile(FileTree.join(theirs, "created-file"), created, flags: O_WRONLY | O_CREAT | O_EXCL)
    }
    after["created-file"] = Observed.file(mode: file, bytes: created).description
    try change(["created-dir"]) { try Sys.mkdirOrThrow(FileTree.join(theirs, "created-dir")) }
    after["created-dir"] = Observed.directory(mode: directory).description
    try change(["unlink-me"]) { try check(Sys.unlink(FileTree.join(theirs, "unlink-me")), "unlink") }
    after["unlink-me"] = Observed.missing.description
    try change(["dir-to-remove"]) { try check(Sys.rmdir(FileTree.join(theirs, "dir-to-remove")), "rmdir") }
    after["dir-to-remove"] = Observed.missing.description
    try change(["rename-me", "renamed"]) {
      try check(Sys.rename(FileTree.join(theirs, "rename-me"), FileTree.join(theirs, "renamed")), "rename")
    }
    after["rename-me"] = Observed.missing.description
    after["renamed"] = before["rename-me"]
    try change(["dir-to-move", "dir-to-move/inside", "moved-dir", "moved-dir/inside"]) {
      try check(Sys.rename(FileTree.join(theirs, "dir-to-move"), FileTree.join(theirs, "moved-dir")), "rename folder")
    }
    after["moved-dir"] = before["dir-to-move"]
    after["moved-dir/inside"] = before["dir-to-move/inside"]
    after["dir-to-move"] = Observed.missing.description
    after["dir-to-move/inside"] = Observed.missing.description
    let overwritten = DataPattern.bytes(count: 2000, seed: 11)
    try change(["overwrite-me"]) { try writeFile(FileTree.join(theirs, "overwrite-me"), overwritten) }
    after["overwrite-me"] = Observed.file(mode: file, bytes: overwritten).description
    // Same length, new bytes in the middle: only the file's version tells a cache it changed.
    var patched = original.patch
    let patch = DataPattern.bytes(count: 10, seed: 12)
    patched.replaceSubrange(100..<110, with: patch)
    try change(["patch-me"]) { try pwriteAndClose(FileTree.join(theirs, "patch-me"), patch, at: 100, flags: O_WRONLY) }
    after["patch-me"] = Observed.file(mode: file, bytes: patched).description
    let tail = DataPattern.bytes(count: 50, seed: 13)
    try change(["append-me"]) { try pwriteAndClose(FileTree.join(theirs, "append-me"), tail, at: 0, flags: O_WRONLY | O_APPEND) }
    after["append-me"] = Observed.file(mode: file, bytes: original.append + tail).description
    try change(["chmod-me"]) { try check(Sys.chmod(FileTree.join(theirs, "chmod-me"), 0o600), "chmod") }
    after["chmod-me"] = Observed.file(mode: 0o600, bytes: bytes("mode changes")).description
    after["ls:"] = listing(after)
    after["ls:dir-to-move"] = listing(after, in: "dir-to-move")
    after["ls:moved-dir"] = listing(after, in: "moved-dir")
    let lastChange = changedAt.values.max()!
    for key in after.keys where key.hasPrefix("ls:") { changedAt[key] = lastChange }

    let ownAfter = differences(expected: after, root: theirs)
    if !ownAfter.isEmpty { throw CheckFailure(["the changer's own changes, at once: " + ownAfter.joined(separator: "; ")]) }

    // Probe every path until each shows its new state, and go on until a probe has started after
    // the bound of the last change: from then on nothing may be stale.
    var firstSeen: [String: Double] = [:]
    var flips: [String] = []
    while true {
      let probe = ContinuousClock.now
      var stale: [String] = []
      for key in after.keys.sorted() {
        let seen = observe(key, root: mine)
        let age = (probe - changedAt[key]!).seconds
        if seen == after[key] {
          if firstSeen[key] == nil { firstSeen[key] = age }
          continue
        }
        // Old or new, never an error: an open after the change must not fail because of it.
        if age > TwoMounts.visibilityBound || seen.hasPrefix("error") {
          throw CheckFailure(["\(key): \(seen) \(String(format: "%.1f", age)) s after the change (bound \(TwoMounts.visibilityBound) s), expected \(after[key]!)"])
        }
        if firstSeen[key] != nil { flips.append("\(key) at \(String(format: "%.2f", age)) s: \(seen)") }
        stale.append(key)
      }
      if stale.isEmpty, (probe - lastChange).seconds > TwoMounts.visibilityBound { break }
      usleep(50_000)
    }
    if !flips.isEmpty { print("stale again within the bound (allowed): \(flips.prefix(5))") }
    try FileTree.remove(theirs)
    return firstSeen
  }

  /// What `root` shows of `key`: a path's kind, mode and contents, or (`ls:<folder>`) a listing.
  static func observe(_ key: String, root: String) -> String {
    guard key.hasPrefix("ls:") else { return Observed(FileTree.join(root, key)).description }
    switch FileTree.list(FileTree.join(root, String(key.dropFirst(3)))) {
    case .success(let names): return "entries " + names.sorted().joined(separator: ", ")
    case .failure(let error) where error.code == ENOENT: return "missing"
    case .failure(let error): return "error (\(error))"
    }
  }

  /// The `ls:` line the model `state` implies for `folder`.
  static func listing(_ state: [String: String], in folder: String = "") -> String {
    if !folder.isEmpty, state[folder] == Observed.missing.description { return "missing" }
    let prefix = folder.isEmpty ? "" : folder + "/"
    let names = state.filter { $0.key.hasPrefix(prefix) && !$0.key.hasPrefix("ls:") && $0.value != Observed.missing.description }
      .map { String($0.key.dropFirst(prefix.count)) }.filter { !$0.contains("/") }
    return "entries " + names.sorted().joined(separator: ", ")
  }

  static func differences(expected: [String: String], root: String) -> [String] {
    expected.keys.sorted().compactMap { key in
      let seen = observe(key, root: root)
      return seen == expected[key] ? nil : "\(key): \(seen), expected \(expected[key]!)"
    }
  }

  // MARK: Exclusive creates

  /// Catches a create decided by one client alone: with creates answered from the client's cache
  /// (a complete cached listing says the name is free), both mounts would succeed; the master must
  /// still pick one winner, and the loser must hear EEXIST at open, or at the latest at close.
  /// Also catches a loser whose failed create removes or truncates the winner's file.
  @Test(.enabled(if: canMount), .timeLimit(.minutes(6)))
  func exclusiveCreatesRacingOnTwoMountsHaveExactlyOneWinnerPerName() throws {
    let mounts = try TwoMounts.start()
    let folders = [FileTree.join(mounts.a.path, "race"), FileTree.join(mounts.b.path, "race")]
    try Sys.mkdirOrThrow(folders[0])
    let madeAt = ContinuousClock.now
    _ = try BoundedWait.until("the race folder on b", bound: TwoMounts.visibilityBound, since: madeAt) {
      let seen = Self.observe("ls:race", root: mounts.b.path)
      return seen == "entries " ? nil : seen
    }
    // Both list the empty folder: each now knows it completely and every name in it as free.
    for folder in folders { _ = FileTree.list(folder) }

    let names = (0..<Self.raceNames).map { "n\($0)" }
    let (outcomes, seconds) = ExclusiveCreateRace.run(folders: folders, names: names)
    let finished = ContinuousClock.now
    print("O_EXCL race of \(names.count) names on two mounts: \(String(format: "%.1f", seconds)) s")

    var problems: [String] = []
    var winners: [Int] = []
    var tally: [String: Int] = [:]
    for (index, name) in names.enumerated() {
      let pair: [ExclusiveCreateRace.Outcome] = [outcomes[0][index], outcomes[1][index]]
      for outcome in pair { tally[outcome.description, default: 0] += 1 }
      let won = pair.indices.filter { pair[$0] == .won }
      let clean = pair.allSatisfy(\.isClean)
      if won.count != 1 || !clean { problems.append("\(name): a \(pair[0]), b \(pair[1])") }
      winners.append(won.first ?? -1)
    }
    print("outcomes: \(tally.sorted { $0.key < $1.key })")
    #expect(problems.isEmpty, "\(problems.count) names without exactly one clean winner: \(problems.prefix(10))\(mounts.context)")

    // Afterwards each name exists once, on both mounts and in the master, with the winner's bytes
    // (read through the mount that lost: the one that may still cache the loser's view).
    let expectedListing = "entries " + names.sorted().joined(separator: ", ")
    do {
      for (side, folder) in folders.enumerated() {
        _ = try BoundedWait.until("the listing on mount \(side)", bound: TwoMounts.visibilityBound, since: finished) {
          let names = FileTree.list(folder).map { $0.sorted() }
          guard case .success(let listed) = names else { return "\(names)" }
          return "entries " + listed.joined(separator: ", ") == expectedListing ? nil : "\(listed.count) entries, \(Set(listed).count) distinct"
        }
      }
      _ = try BoundedWait.until("the winners' bytes on the other mount", bound: TwoMounts.visibilityBound, since: finished) {
        var wrong: [String] = []
        for (index, name) in names.enumerated() where winners[index] >= 0 {
          let other = folders[1 - winners[index]]
          let seen = Observed(FileTree.join(other, name))
          let expected = Observed.file(mode: 0o644 & ~processUmask, bytes: ExclusiveCreateRace.marker(side: winners[index], name: name))
          if seen != expected { wrong.append("\(name): \(seen), expected \(expected)") }
        }
        return wrong.isEmpty ? nil : "\(wrong.count) files: \(wrong.prefix(5))"
      }
    } catch {
      Issue.record("\(error)\(mounts.context)")
    }
    let master = try mounts.cluster.run(["fs", "ls", "/race"])
    #expect(master.status == 0 && master.lines.count == names.count, "the master lists \(master.lines.count) files: \(master.stderr)")
  }

  // MARK: A large tree

  /// Catches what only many files in many folders show: entries lost or doubled in listings of
  /// folders changing while other clients cache them, files whose bytes or length on the other
  /// mount are stale (a create kept in one daemon's cache while its completion is pending),
  /// modification times or modes tar and rsync set that do not stick (rsync's quick check would then
  /// copy every file again), rsync's temporary-file-and-rename pattern, and deletes.
  @Test(.enabled(if: canMount && hasRsync), .timeLimit(.minutes(40)))
  func aTreeUnpackedAndSyncedOntoOneMountListsAndHashesTheSameOnTheOther() throws {
    let mounts = try TwoMounts.start()
    defer { withExtendedLifetime(mounts) {} }
    let local = mounts.cluster.root.appendingPathComponent("tree-source").path
    try Sys.mkdirOrThrow(local)
    let generated = try SampleTree.generate(at: local, fileCount: Self.treeFiles, seed: 0x7EE5, smallFilesOnly: true)
    try Self.setWholeSecondTimes(local)
    let tarball = mounts.cluster.root.appendingPathComponent("tree.tar").path
    try CommandRunner.check("/usr/bin/tar", ["-cf", tarball, "-C", local, "."])
    let onA = FileTree.join(mounts.a.path, "tree")
    let onB = FileTree.join(mounts.b.path, "tree")
    try Sys.mkdirOrThrow(onA)

    // The folders first, as an unpacking script would, then the files into them.
    let folders = try FileTree.walk(local).filter { $0.value.kind == .directory }.map(\.key).sorted()
    let (mkdir, mkdirSeconds) = try timed { try CommandRunner.run("/bin/mkdir", ["-p"] + folders, workingDirectory: onA) }
    #expect(mkdir.succeeded, "\(mkdir)\(mounts.context)")
    let tar = try CommandRunner.run("/usr/bin/tar", ["-xf", tarball, "-C", onA], timeout: .seconds(2400))
    #expect(tar.succeeded, "\(tar)\(mounts.context)")
    let untarred = ContinuousClock.now
    print("tree: \(generated.files) files, \(folders.count) folders, \(generated.bytes) bytes; mkdir -p \(String(format: "%.1f", mkdirSeconds)) s, tar -x \(String(format: "%.1f", tar.seconds)) s")
    let expected = try Self.signature(local)
    Self.expectSame(expected, onB, since: untarred, "after tar -x", mounts)

    // The source changes a little; rsync -a brings the mount up to date, and the other mount,
    // which has just read every file, follows.
    let changed = try Self.mutate(local, seed: 0x7EE6)
    let rsync = try CommandRunner.run(
      "/usr/bin/rsync", ["-a", "--delete", "--stats", local + "/", onA + "/"], timeout: .seconds(2400))
    #expect(rsync.succeeded, "\(rsync)\(mounts.context)")
    let synced = ContinuousClock.now
    let transferred = rsync.stdout.split(separator: "\n").first { $0.hasPrefix("Number of regular files transferred") }
      .flatMap { $0.split(separator: ":").last }.flatMap { Int($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")) }
    print("rsync -a of \(changed) changes: \(String(format: "%.1f", rsync.seconds)) s, \(transferred.map(String.init) ?? "?") files transferred")
    // Unchanged files keep size and time after tar -x: rsync copies only the changed ones.
    #expect(transferred.map { $0 <= changed } ?? false, "rsync transferred \(transferred.map(String.init) ?? "?") files for \(changed) changes")
    Self.expectSame(try Self.signature(local, times: false), onB, times: false, since: synced, "after rsync -a", mounts)
    // The bound has passed: the times must be there too.
    let expectedTimes = try Self.signature(local)
    let seenTimes = try Self.signature(onB)
    withKnownIssue("files rsync -a transfers show their commit time, not the time rsync set") {
      #expect(
        seenTimes == expectedTimes,
        "after rsync -a, with times: \(Set(seenTimes).subtracting(expectedTimes).sorted().prefix(5))")
    }
    try FileTree.remove(onA)
  }

  /// `find` (kind, mode, size, file modification time, path of everything) and `md5sum` of every
  /// file, in C-locale order.
  static func signature(_ root: String, times: Bool = true) throws -> [String] {
    let script = """
      cd "$1" && find . -mindepth 1 \\( -type d -printf 'd %m %p\\n' \\) -o \\( -type f -printf 'f %m %s \(times ? "%T@ " : "")%p\\n' \\) \
      -o -printf 'other %p\\n' | sort && find . -type f -print0 | sort -z | xargs -0 -r md5sum
      """
    let result = try CommandRunner.run("/bin/sh", ["-c", script, "sh", root], timeout: .seconds(1200))
    guard result.succeeded else { throw CheckFailure(["signature of \(root): \(result)"]) }
    return result.stdout.split(separator: "\n").map(String.init)
  }

  static func expectSame(
    _ expected: [String], _ root: String, times: Bool = true, since: ContinuousClock.Instant, _ what: String, _ mounts: TwoMounts
  ) {
    do {
      let (seconds, walk) = try timed {
        try BoundedWait.until("find and md5sum \(what)", bound: TwoMounts.visibilityBound, since: since) {
          let seen = try signature(root, times: times)
          if seen == expected { return nil }
          let missing = Set(expected).subtracting(seen).sorted()
          let unexpected = Set(seen).subtracting(expected).sorted()
          return "\(seen.count) lines for \(expected.count); missing \(missing.prefix(5)), unexpected \(unexpected.prefix(5))"
        }
      }
      print("find + md5sum on the other mount \(what): \(String(format: "%.1f", walk)) s (agreed \(String(format: "%.1f", seconds)) s after)")
    } catch {
      Issue.record("\(error)\(mounts.context)")
    }
  }

  /// Whole-second modification times, from a fixed origin: tar's default format keeps seconds, so
  /// the tree and its copies have equal times (and rsync's quick check sees unchanged files).
  static func setWholeSecondTimes(_ root: String) throws {
    for (index, path) in try FileTree.walk(root).keys.sorted().enumerated() {
      try stamp(FileTree.join(root, path), seconds: 1_600_000_000 + index)
    }
  }

  static func stamp(_ path: String, seconds: Int) throws {
    var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
    guard utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0 else { throw PosixError("utimensat", path, errno) }
  }

  /// Rewrites, deletes, adds and chmods a deterministic few percent of the tree's files; returns
  /// how many files rsync has to transfer.
  static func mutate(_ root: String, seed: UInt64) throws -> Int {
    var rng = SplitMix64(seed: seed)
    let files = try FileTree.walk(root).filter { $0.value.kind == .regular }.map(\.key).sorted()
    var transfers = 0
    for path in files {
      let full = FileTree.join(root, path)
      switch rng.below(100) {
      case 0:
        try writeFile(full, DataPattern.bytes(count: rng.inRange(0...8192), seed: rng.next()))
        try stamp(full, seconds: 1_700_000_000 + transfers)
        transfers += 1
      case 1:
        try check(Sys.unlink(full), "unlink")
      case 2:
        try writeFile(full + ".added", DataPattern.bytes(count: rng.inRange(1...4096), seed: rng.next()))
        try stamp(full + ".added", seconds: 1_700_000_000 + transfers)
        transfers += 1
      case 3:
        try check(Sys.chmod(full, 0o600), "chmod")
      default:
        continue
      }
    }
    try Sys.mkdirOrThrow(FileTree.join(root, "added-folder"))
    for index in 0..<3 {
      try writeFile(FileTree.join(root, "added-folder/file\(index)"), DataPattern.bytes(count: 100 + index, seed: UInt64(index)))
      try stamp(FileTree.join(root, "added-folder/file\(index)"), seconds: 1_700_000_000 + transfers)
      transfers += 1
    }
    return transfers
  }
}

// MARK: Shared by the suites of issue 11

/// The test process's umask, read without changing it (`umask(2)` would, for every thread).
let processUmask: mode_t = {
  let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
  let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
  return line.flatMap { mode_t($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
}()

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func check(_ outcome: SyscallOutcome, _ what: String) throws {
  if let code = outcome.errorCode { throw CheckFailure(["\(what): \(ErrnoName.of(code))"]) }
}

/// open, one pwrite (or write, with O_APPEND), close; every failure thrown.
func pwriteAndClose(_ path: String, _ data: [UInt8], at offset: Int, flags: Int32) throws {
  let opened = Sys.open(path, flags)
  guard case .success(let fd) = opened else { throw PosixError("open", path, opened.errorCode!) }
  let written = data.withUnsafeBytes {
    flags & O_APPEND != 0 ? Sys.writeAll(Int32(fd), $0) : Sys.pwriteAll(Int32(fd), $0, offset: offset)
  }
  let closed = Sys.close(Int32(fd))
  try check(written, "write \(path)")
  try check(closed, "close \(path)")
}

/// Two threads, one per mount folder, create the same names in the same order with
/// `open(O_CREAT | O_EXCL)`, write a marker naming the side, and close.
enum ExclusiveCreateRace {
  enum Outcome: Equatable, Sendable, CustomStringConvertible {
    case won
    case existsAtOpen
    /// The open succeeded, the close (the commit) said EEXIST: allowed for a create the client
    /// answered before the master decided.
    case existsAtClose
    case failed(String)

    /// A win, or a loss reported as POSIX says.
    var isClean: Bool {
      switch self {
      case .won, .existsAtOpen, .existsAtClose: true
      case .failed: false
      }
    }

    var description: String {
      switch self {
      case .won: "won"
      case .existsAtOpen: "EEXIST at open"
      case .existsAtClose: "EEXIST at close"
      case .failed(let text): text
      }
    }
  }

  static func marker(side: Int, name: String) -> [UInt8] { bytes("mount \(side) created \(name)\n") }

  /// Per folder, the outcome for each name; and the seconds the race took.
  static func run(folders: [String], names: [String]) -> ([[Outcome]], Double) {
    let results = RaceResults(sides: folders.count)
    let ready = RaceBarrier(parties: folders.count)
    let done = DispatchSemaphore(value: 0)
    let start = ContinuousClock.now
    for (side, folder) in folders.enumerated() {
      Thread {
        ready.arriveAndWait()
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(names.count)
        for name in names { outcomes.append(create(FileTree.join(folder, name), marker: marker(side: side, name: name))) }
        results.set(side, outcomes)
        done.signal()
      }.start()
    }
    for _ in folders { done.wait() }
    return (results.all, (ContinuousClock.now - start).seconds)
  }

  static func create(_ path: String, marker: [UInt8]) -> Outcome {
    let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
    if fd < 0 { return errno == EEXIST ? .existsAtOpen : .failed("open: \(ErrnoName.of(errno))") }
    let written = marker.withUnsafeBytes { Sys.writeAll(fd, $0) }
    if Glibc.close(fd) != 0 { return errno == EEXIST ? .existsAtClose : .failed("close: \(ErrnoName.of(errno))") }
    if let code = written.errorCode { return code == EEXIST ? .existsAtClose : .failed("write: \(ErrnoName.of(code))") }
    return .won
  }
}

final class RaceResults: Sendable {
  private let storage: Mutex<[[ExclusiveCreateRace.Outcome]]>
  init(sides: Int) { storage = Mutex(Array(repeating: [], count: sides)) }
  func set(_ side: Int, _ outcomes: [ExclusiveCreateRace.Outcome]) { storage.withLock { $0[side] = outcomes } }
  var all: [[ExclusiveCreateRace.Outcome]] { storage.withLock { $0 } }
}

/// Lets the racing threads start together (a thread spins: the race is what is measured).
final class RaceBarrier: Sendable {
  private let arrived = Atomic<Int>(0)
  private let parties: Int
  init(parties: Int) { self.parties = parties }
  func arriveAndWait() {
    arrived.add(1, ordering: .acquiringAndReleasing)
    while arrived.load(ordering: .acquiring) < parties { sched_yield() }
  }
}
