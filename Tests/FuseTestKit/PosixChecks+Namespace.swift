// Namespace semantics with Linux's errno codes: mkdir, rmdir, unlink, open, rename (every
// file/directory combination) and renameat2 flags. The errnos are those Linux local file
// systems return; where POSIX allows two (non-empty rename target), both are accepted.
import Glibc

extension PosixChecks {
  public static func namespace(root: String, expectExchangeUnsupported: Bool) throws {
    let ex = Expectations("namespace")
    let dir = try ScratchDirectory.fresh("posix-namespace", in: root)
    func p(_ relative: String) -> String { FileTree.join(dir, relative) }
    func make(_ relative: String, _ seed: UInt64) -> [UInt8] {
      let bytes = DataPattern.bytes(count: 1000 + Int(seed), seed: seed)
      do { try writeFile(p(relative), bytes) } catch { ex.fail("setup write \(relative): \(error)") }
      return bytes
    }
    func isDirectory(_ relative: String, _ what: String) {
      let (outcome, info) = Sys.lstat(p(relative))
      ex.expect(outcome.succeeded && FileKind(mode: info.st_mode) == .directory, "\(what): \(relative) is not a directory (\(outcome))")
    }

    // mkdir / rmdir.
    ex.succeeds(Sys.mkdir(p("a")), "mkdir a")
    isDirectory("a", "after mkdir")
    ex.failsWith(Sys.mkdir(p("a")), [EEXIST], "mkdir of existing directory")
    let fileBytes = make("file", 1)
    ex.failsWith(Sys.mkdir(p("file")), [EEXIST], "mkdir over existing file")
    ex.failsWith(Sys.mkdir(p("missing/x")), [ENOENT], "mkdir with missing parent")
    ex.failsWith(Sys.mkdir(p("file/x")), [ENOTDIR], "mkdir below a file")
    ex.failsWith(Sys.rmdir(p("missing")), [ENOENT], "rmdir of missing directory")
    ex.failsWith(Sys.rmdir(p("file")), [ENOTDIR], "rmdir of a file")
    _ = make("a/child", 2)
    ex.failsWith(Sys.rmdir(p("a")), [ENOTEMPTY], "rmdir of non-empty directory")
    isDirectory("a", "after failed rmdir")
    ex.succeeds(Sys.mkdir(p("empty")), "mkdir empty")
    ex.succeeds(Sys.rmdir(p("empty")), "rmdir of empty directory")
    ex.isMissing(p("empty"), "after rmdir")

    // unlink / open / stat errors.
    ex.failsWith(Sys.unlink(p("missing")), [ENOENT], "unlink of missing file")
    ex.failsWith(Sys.unlink(p("a")), [EISDIR], "unlink of a directory")
    ex.failsWith(Sys.open(p("missing"), O_RDONLY), [ENOENT], "open of missing file")
    ex.failsWith(Sys.open(p("missing/x"), O_RDONLY | O_CREAT), [ENOENT], "create with missing parent")
    ex.failsWith(Sys.open(p("file/x"), O_RDONLY), [ENOTDIR], "open below a file")
    ex.failsWith(Sys.open(p("a"), O_WRONLY), [EISDIR], "open of a directory for writing")
    ex.failsWith(Sys.open(p("file"), O_RDONLY | O_DIRECTORY), [ENOTDIR], "O_DIRECTORY open of a file")
    ex.isMissing(p("missing"), "stat of missing")
    ex.isMissing(p("file/x"), "stat below a file", code: ENOTDIR)
    _ = make("doomed", 3)
    ex.succeeds(Sys.unlink(p("doomed")), "unlink of file")
    ex.isMissing(p("doomed"), "after unlink")

    // rename of files: to a new name, across directories, onto an existing file (replaces it
    // atomically: one name left with the source's bytes), onto itself.
    ex.failsWith(Sys.rename(p("missing"), p("x")), [ENOENT], "rename of missing source")
    ex.succeeds(Sys.rename(p("file"), p("renamed")), "rename file to new name")
    ex.isMissing(p("file"), "source after rename")
    ex.hasContents(p("renamed"), fileBytes, "target after rename")
    ex.succeeds(Sys.rename(p("renamed"), p("a/moved")), "rename file into another directory")
    ex.hasContents(p("a/moved"), fileBytes, "after move between directories")
    let victim = make("victim", 4)
    ex.succeeds(Sys.rename(p("a/moved"), p("victim")), "rename onto existing file")
    ex.hasContents(p("victim"), fileBytes, "replaced target has the source's bytes")
    ex.expect(victim != fileBytes, "test setup: victim and source differ")
    ex.isMissing(p("a/moved"), "source after replacing rename")
    ex.hasEntries(p("a"), ["child"], "listing after moving a file out")
    ex.succeeds(Sys.rename(p("victim"), p("victim")), "rename of a file onto itself")
    ex.hasContents(p("victim"), fileBytes, "after rename onto itself")

    // rename across kinds and directory renames.
    ex.succeeds(Sys.mkdir(p("emptydir")), "mkdir emptydir")
    ex.failsWith(Sys.rename(p("victim"), p("emptydir")), [EISDIR], "rename file onto empty directory")
    ex.failsWith(Sys.rename(p("victim"), p("a")), [EISDIR], "rename file onto non-empty directory")
    ex.failsWith(Sys.rename(p("emptydir"), p("victim")), [ENOTDIR], "rename directory onto file")
    ex.failsWith(Sys.rename(p("emptydir"), p("a")), [ENOTEMPTY, EEXIST], "rename directory onto non-empty directory")
    ex.failsWith(Sys.rename(p("a"), p("a/sub")), [EINVAL], "rename directory into itself")
    ex.succeeds(Sys.mkdir(p("a/inner")), "mkdir a/inner")
    ex.failsWith(Sys.rename(p("a"), p("a/inner/deeper")), [EINVAL], "rename directory into its own subdirectory")
    ex.succeeds(Sys.mkdir(p("target")), "mkdir target")
    ex.succeeds(Sys.rename(p("a"), p("target")), "rename directory onto empty directory")
    ex.isMissing(p("a"), "source directory after rename")
    ex.hasEntries(p("target"), ["child", "inner"], "children follow a renamed directory")
    ex.hasContents(p("target/child"), DataPattern.bytes(count: 1002, seed: 2), "file inside renamed directory")
    ex.succeeds(Sys.rename(p("target"), p("emptydir/nested")), "rename directory into another directory")
    ex.hasContents(p("emptydir/nested/child"), DataPattern.bytes(count: 1002, seed: 2), "file after second directory rename")
    ex.isMissing(p("target/child"), "old path of a moved directory's child")

    // renameat2 flags.
    if !Renameat2.isAvailable {
      ex.fail("renameat2 is not available in this libc")
    } else {
      let one = make("one", 5)
      let two = make("two", 6)
      ex.failsWith(Renameat2.rename(p("one"), p("two"), flags: Renameat2.noReplace), [EEXIST], "RENAME_NOREPLACE onto existing file")
      ex.hasContents(p("one"), one, "source after refused RENAME_NOREPLACE")
      ex.hasContents(p("two"), two, "target after refused RENAME_NOREPLACE")
      ex.succeeds(Renameat2.rename(p("one"), p("three"), flags: Renameat2.noReplace), "RENAME_NOREPLACE to a new name")
      ex.hasContents(p("three"), one, "after RENAME_NOREPLACE to new name")
      ex.isMissing(p("one"), "source after RENAME_NOREPLACE")

      let exchanged = Renameat2.rename(p("two"), p("three"), flags: Renameat2.exchange)
      if expectExchangeUnsupported {
        ex.failsWith(exchanged, [EINVAL, EOPNOTSUPP], "RENAME_EXCHANGE (expected unsupported)")
        ex.hasContents(p("two"), two, "after refused RENAME_EXCHANGE")
        ex.hasContents(p("three"), one, "after refused RENAME_EXCHANGE")
      } else {
        ex.succeeds(exchanged, "RENAME_EXCHANGE")
        ex.hasContents(p("two"), one, "after RENAME_EXCHANGE")
        ex.hasContents(p("three"), two, "after RENAME_EXCHANGE")
      }
    }

    try ex.finish()
    try FileTree.remove(dir)
  }
}
