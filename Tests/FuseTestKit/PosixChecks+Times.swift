// Modification times: what tar -x, cp -p and rsync -t rely on. Times are compared to the
// millisecond (GooseFS keeps milliseconds).
import Glibc

extension PosixChecks {
  /// Returns the paths it left behind with the modification time (ms) each must keep, for a caller
  /// that checks them again elsewhere (e.g. through the cluster's CLI), which removes the folder.
  @discardableResult
  public static func modificationTimes(root: String) throws -> (folder: String, expected: [String: Int64]) {
    let ex = Expectations("modificationTimes")
    let dir = try ScratchDirectory.fresh("posix-times", in: root)
    var expected: [String: Int64] = [:]
    let past = timespec(tv_sec: 981_173_106, tv_nsec: 789_000_000)  // 2001-02-03 04:05:06.789 UTC
    let later = timespec(tv_sec: 1_234_567_890, tv_nsec: 123_000_000)

    // tar -x: write, close, then set the time by path.
    let closed = FileTree.join(dir, "closed")
    write(closed, bytes: 10_000, ex)
    ex.succeeds(setTime(closed, past), "utimensat on a closed file")
    expectTime(closed, milliseconds(past), ex, "after utimensat by path")

    // cp -p: the time is set on the open descriptor before close; close must not overwrite it.
    let copied = FileTree.join(dir, "copied")
    if case .success(let fd) = Sys.open(copied, O_WRONLY | O_CREAT | O_TRUNC, 0o644) {
      let bytes = DataPattern.bytes(count: 70_000, seed: 9)
      _ = bytes.withUnsafeBytes { ex.succeeds(Sys.writeAll(Int32(fd), $0), "write before futimens") }
      var times = [later, later]
      ex.succeeds(SyscallOutcome(returning: futimens(Int32(fd), &times)), "futimens on an open, written file")
      let (outcome, info) = Sys.fstat(Int32(fd))
      if ex.succeeds(outcome, "fstat after futimens") {
        ex.expect(milliseconds(info.st_mtim) == milliseconds(later), "fstat after futimens: mtime \(milliseconds(info.st_mtim))")
      }
      ex.succeeds(Sys.close(Int32(fd)), "close after futimens")
    } else {
      ex.fail("open of a new file failed")
    }
    expectTime(copied, milliseconds(later), ex, "after futimens then close")
    expected[copied] = milliseconds(later)

    // fsync commits (and applies a time set before it); a time set after it must stick too.
    let synced = FileTree.join(dir, "synced")
    if case .success(let fd) = Sys.open(synced, O_WRONLY | O_CREAT | O_TRUNC, 0o644) {
      _ = DataPattern.bytes(count: 5000, seed: 4).withUnsafeBytes { ex.succeeds(Sys.writeAll(Int32(fd), $0), "write before fsync") }
      var first = [past, past]
      ex.succeeds(SyscallOutcome(returning: futimens(Int32(fd), &first)), "futimens before fsync")
      ex.succeeds(SyscallOutcome(returning: fsync(Int32(fd))), "fsync")
      var second = [later, later]
      ex.succeeds(SyscallOutcome(returning: futimens(Int32(fd), &second)), "futimens after fsync")
      ex.succeeds(Sys.close(Int32(fd)), "close after fsync and futimens")
    } else {
      ex.fail("open of a new file failed")
    }
    expectTime(synced, milliseconds(later), ex, "after futimens, fsync, futimens, close")
    expected[synced] = milliseconds(later)

    // A write after the time was set moves it to now; so does touch (UTIME_NOW).
    let before = now()
    if case .success(let fd) = Sys.open(closed, O_WRONLY | O_APPEND) {
      _ = DataPattern.bytes(count: 100, seed: 3).withUnsafeBytes { ex.succeeds(Sys.writeAll(Int32(fd), $0), "append") }
      ex.succeeds(Sys.close(Int32(fd)), "close after append")
    } else {
      ex.fail("open(O_APPEND) failed")
    }
    expectRecent(closed, since: before, ex, "after an append")
    let touched = FileTree.join(dir, "touched")
    write(touched, bytes: 1, ex)
    ex.succeeds(setTime(touched, past), "utimensat (past) before touch")
    let beforeTouch = now()
    // No times: both become now (what touch does).
    ex.succeeds(SyscallOutcome(returning: utimensat(AT_FDCWD, touched, nil, 0)), "utimensat(now)")
    expectRecent(touched, since: beforeTouch, ex, "after touch")

    // Folders keep a set time too.
    let folder = FileTree.join(dir, "folder")
    ex.succeeds(Sys.mkdir(folder), "mkdir")
    ex.succeeds(setTime(folder, past), "utimensat on a folder")
    expectTime(folder, milliseconds(past), ex, "folder after utimensat")
    expected[folder] = milliseconds(past)

    try ex.finish()
    return (dir, expected)
  }

  private static func write(_ path: String, bytes count: Int, _ ex: Expectations) {
    guard case .success(let fd) = Sys.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644) else {
      return ex.fail("open \(path) for writing failed")
    }
    _ = DataPattern.bytes(count: count, seed: 1).withUnsafeBytes { ex.succeeds(Sys.writeAll(Int32(fd), $0), "write \(path)") }
    ex.succeeds(Sys.close(Int32(fd)), "close \(path)")
  }

  private static func setTime(_ path: String, _ time: timespec) -> SyscallOutcome {
    var times = [time, time]
    return SyscallOutcome(returning: utimensat(AT_FDCWD, path, &times, 0))
  }

  static func milliseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000 }

  private static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return milliseconds(time)
  }

  private static func expectTime(_ path: String, _ expected: Int64, _ ex: Expectations, _ what: String) {
    let (outcome, info) = Sys.lstat(path)
    guard ex.succeeds(outcome, "lstat \(path)") else { return }
    ex.expect(milliseconds(info.st_mtim) == expected, "\(what): mtime \(milliseconds(info.st_mtim)) ms, expected \(expected)")
  }

  /// Within a second before `since` (file systems may round) and a minute after.
  private static func expectRecent(_ path: String, since: Int64, _ ex: Expectations, _ what: String) {
    let (outcome, info) = Sys.lstat(path)
    guard ex.succeeds(outcome, "lstat \(path)") else { return }
    let time = milliseconds(info.st_mtim)
    ex.expect(time >= since - 1000 && time <= since + 60_000, "\(what): mtime \(time) ms, expected about \(since)")
  }
}
