// Scripted POSIX checks with exact expectations, run against any folder: the FUSE mount in
// integration tests, a local folder here (which validates the checks themselves). Each check
// works in its own subfolder of `root`, removes it when it passes and leaves it for inspection
// when it fails (except the large file, which is always removed).
import Glibc

public enum PosixChecks {
  /// Timings and throughput of one `runAll`.
  public struct Summary: Sendable {
    public var secondsPerCheck: [String: Double] = [:]
    public var readdir: ReaddirStats?
    public var largeFile: LargeFileStats?
    public var concurrency: ConcurrencyStats?
  }

  /// Runs every check below and throws one CheckFailure listing all broken expectations.
  /// - Parameters:
  ///   - expectExchangeUnsupported: true on a mount whose daemon does not implement
  ///     RENAME_EXCHANGE (must then fail with EINVAL or EOPNOTSUPP and change nothing);
  ///     false on a local ext4/xfs folder, where the exchange must succeed.
  ///   - largeFileSize: e.g. 2 GiB on the mount; 64 MiB keeps local runs quick.
  ///   - readdirCount: e.g. 100_000 on the mount.
  @discardableResult
  public static func runAll(
    root: String, expectExchangeUnsupported: Bool, largeFileSize: Int = 64 << 20,
    readdirCount: Int = 10_000
  ) throws(CheckFailure) -> Summary {
    var summary = Summary()
    var checks = CheckSequence()
    checks.run("fileContents") { try fileContents(root: root) }
    checks.run("unlinkedOpenFile") { try unlinkedOpenFile(root: root) }
    checks.run("namespace") { try namespace(root: root, expectExchangeUnsupported: expectExchangeUnsupported) }
    checks.run("readdir") { summary.readdir = try readdir(root: root, count: readdirCount) }
    checks.run("largeFile") { summary.largeFile = try largeFile(root: root, size: largeFileSize) }
    checks.run("concurrency") { summary.concurrency = try concurrentReadersAndWriter(root: root) }
    summary.secondsPerCheck = checks.secondsPerCheck
    try checks.finish()
    return summary
  }

  /// create / write / read / overwrite with O_TRUNC / append / random writes with holes /
  /// truncate and ftruncate (shrink and grow), each verified byte for byte against an
  /// in-memory model; plus read-your-writes on one descriptor, reads at and past EOF,
  /// and the errno of misuse (EBADF, EEXIST, ENOENT, EISDIR).
  public static func fileContents(root: String) throws {
    let ex = Expectations("fileContents")
    let dir = try ScratchDirectory.fresh("posix-contents", in: root)
    var file = ModelFile(path: FileTree.join(dir, "file"), ex: ex)

    // Exclusive create of an empty file.
    if case .success(let fd) = Sys.open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o644) {
      ex.succeeds(Sys.close(Int32(fd)), "close after O_EXCL create")
    } else {
      ex.fail("open(O_CREAT|O_EXCL) of a new file failed")
    }
    file.verify("empty file after O_EXCL create")
    ex.failsWith(Sys.open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o644), [EEXIST], "O_EXCL on existing file")

    // Create with contents, then overwrite shorter with O_TRUNC: no stale tail may survive.
    file.replace(DataPattern.bytes(count: 100_000, seed: 1), "initial write")
    file.verify("after initial write")
    file.replace(DataPattern.bytes(count: 3000, seed: 2), "O_TRUNC rewrite")
    file.verify("after O_TRUNC rewrite")

    // Appends, including after an lseek to 0, which O_APPEND must ignore.
    file.append(DataPattern.bytes(count: 5000, seed: 3), "append")
    file.append(DataPattern.bytes(count: 1, seed: 4), "append 1 byte")
    file.append(DataPattern.bytes(count: 70_000, seed: 5), "append", seekToStartFirst: true)
    file.verify("after appends")

    // Random writes inside, at, and past EOF (holes must read as zeros).
    var rng = SplitMix64(seed: 0xC0FFEE)
    for round in 1...120 {
      let offset = rng.percent(70) ? rng.below(file.model.count + 1) : file.model.count + rng.inRange(1...100_000)
      let bytes = DataPattern.bytes(count: rng.inRange(1...70_000), seed: rng.next())
      file.write(bytes, at: offset, "random write \(round)")
      if round % 20 == 0 { file.verify("after random write \(round)") }
    }
    // One write straddling the 1 MiB boundary and larger than a typical FUSE request.
    file.write(DataPattern.bytes(count: (1 << 20) + 3, seed: 6), at: (1 << 20) - 1, "1 MiB straddling write")
    file.verify("after straddling write")

    // truncate() shrink and grow, then ftruncate on an open descriptor followed by a write on
    // the same descriptor past the new end.
    file.truncate(to: 1234, "truncate shrink")
    file.verify("after truncate shrink")
    file.truncate(to: 200_000, "truncate grow")
    file.verify("after truncate grow (zeros)")
    file.ftruncateThenWrite(size: 50_000, write: DataPattern.bytes(count: 1000, seed: 7), at: 60_000)
    file.verify("after ftruncate + write")
    file.truncate(to: 0, "truncate to zero")
    file.verify("after truncate to zero")
    file.replace(DataPattern.bytes(count: 10_000, seed: 8), "rewrite after truncate to zero")

    // O_TRUNC without a write empties the file.
    if case .success(let fd) = Sys.open(file.path, O_WRONLY | O_TRUNC) {
      ex.succeeds(Sys.close(Int32(fd)), "close after bare O_TRUNC")
      file.model = []
    } else {
      ex.fail("open(O_TRUNC) of existing file failed")
    }
    file.verify("after bare O_TRUNC")
    file.replace(DataPattern.bytes(count: 10_000, seed: 9), "rewrite after bare O_TRUNC")

    // Read-your-writes through one O_RDWR descriptor, before any close; reads at and past EOF.
    if case .success(let opened) = Sys.open(file.path, O_RDWR) {
      let fd = Int32(opened)
      let bytes = DataPattern.bytes(count: 4096, seed: 10)
      ex.succeeds(bytes.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: 10) }, "pwrite on O_RDWR")
      file.apply(bytes, at: 10)
      ex.expect((try? Sys.pread(fd, count: 4096, offset: 10).get()) == bytes, "pread before close returns the bytes just written")
      ex.expect((try? Sys.pread(fd, count: 100, offset: 10_000).get())?.count == 0, "pread at EOF returns 0 bytes")
      ex.expect((try? Sys.pread(fd, count: 100, offset: 50_000).get())?.count == 0, "pread past EOF returns 0 bytes")
      ex.expect((try? Sys.pread(fd, count: 100, offset: 9_950).get())?.count == 50, "pread across EOF returns the remainder")
      let (outcome, info) = Sys.fstat(fd)
      ex.expect(outcome.succeeded && info.st_size == 10_000, "fstat size on open descriptor is \(info.st_size), expected 10000")
      ex.succeeds(Sys.close(fd), "close O_RDWR")
    } else {
      ex.fail("open(O_RDWR) failed")
    }
    file.verify("after O_RDWR session")

    // Misuse: wrong access mode, missing file, directory.
    if case .success(let opened) = Sys.open(file.path, O_RDONLY) {
      let fd = Int32(opened)
      ex.failsWith([UInt8](repeating: 1, count: 10).withUnsafeBytes { Sys.writeAll(fd, $0) }, [EBADF], "write on O_RDONLY descriptor")
      _ = Sys.close(fd)
    }
    if case .success(let opened) = Sys.open(file.path, O_WRONLY) {
      let fd = Int32(opened)
      var buffer = [UInt8](repeating: 0, count: 10)
      ex.failsWith(buffer.withUnsafeMutableBytes { Sys.readFully(fd, $0) }, [EBADF], "read on O_WRONLY descriptor")
      _ = Sys.close(fd)
    }
    ex.failsWith(Sys.truncate(FileTree.join(dir, "missing"), 10), [ENOENT], "truncate of missing file")
    ex.failsWith(Sys.truncate(dir, 10), [EISDIR], "truncate of a directory")
    ex.failsWith(Sys.open(FileTree.join(dir, "missing"), O_RDONLY), [ENOENT], "open of missing file")
    file.verify("final")

    try ex.finish()
    try FileTree.remove(dir)
  }

  /// A file unlinked while open stays readable and writable through its descriptor until
  /// close, and its name is gone at once (programs rely on this for anonymous temp files).
  public static func unlinkedOpenFile(root: String) throws {
    let ex = Expectations("unlinkedOpenFile")
    let dir = try ScratchDirectory.fresh("posix-unlinked", in: root)
    let path = FileTree.join(dir, "temp")
    let opened = Sys.open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
    guard case .success(let raw) = opened else { throw PosixError("open", path, opened.errorCode!) }
    let fd = Int32(raw)
    let first = DataPattern.bytes(count: 10_000, seed: 20)
    ex.succeeds(first.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: 0) }, "write before unlink")
    ex.succeeds(Sys.unlink(path), "unlink of open file")
    ex.isMissing(path, "name after unlink")
    ex.expect(
      (try? FileTree.list(dir).get())?.contains("temp") == false, "listing after unlink still shows the name")
    ex.expect((try? Sys.pread(fd, count: 10_000, offset: 0).get()) == first, "read through descriptor after unlink")
    let second = DataPattern.bytes(count: 5000, seed: 21)
    ex.succeeds(second.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: 8000) }, "write through descriptor after unlink")
    ex.expect(
      (try? Sys.pread(fd, count: 13_000, offset: 0).get()) == Array(first[0..<8000]) + second,
      "read back of write after unlink")
    ex.succeeds(Sys.close(fd), "close of unlinked file")
    ex.isMissing(path, "name after close")
    try ex.finish()
    try FileTree.remove(dir)
  }
}
