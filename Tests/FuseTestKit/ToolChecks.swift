// Real programs on the folder under test: GNU tar (many creates, chmod, utimensat, streaming
// large compressed files in and out) and sqlite3 (small random writes, fsync, fcntl locks,
// journal create/unlink, rollback, VACUUM). They use the file system in ways scripted checks
// do not think of, and "tar and sqlite work" is what users will try first.
import Glibc

public enum ToolChecks {
  public struct Summary: Sendable {
    public var secondsPerCheck: [String: Double] = [:]
    public var tar: TarStats?
    public var sqlite: [SQLiteStats] = []
  }

  public struct TarStats: Sendable {
    public var files: Int
    public var bytes: Int
    /// tar -xzf of a local tarball into the folder under test.
    public var extractSeconds: Double
    /// tar -czf of the extracted tree into a tarball on the folder under test.
    public var createSeconds: Double
  }

  public struct SQLiteStats: Sendable {
    public var journalMode: String
    public var rows: Int
    public var databaseBytes: Int
    public var seconds: Double
  }

  /// tar round trip, /usr/include/linux round trip (when present), sqlite in each journal mode.
  /// WAL needs shared writable mmap of the -shm file on the folder under test; drop it from
  /// `sqliteJournalModes` for a mount that does not support that.
  @discardableResult
  public static func runAll(
    root: String, sqliteJournalModes: [String] = ["DELETE", "WAL"], extraTarArguments: [String] = []
  ) throws(CheckFailure) -> Summary {
    var summary = Summary()
    var checks = CheckSequence()
    checks.run("tar") { summary.tar = try tarRoundTrip(root: root, extraTarArguments: extraTarArguments) }
    checks.run("tarSystemHeaders") { try tarSystemHeaders(root: root, extraTarArguments: extraTarArguments) }
    for mode in sqliteJournalModes {
      checks.run("sqlite \(mode)") { summary.sqlite.append(try sqlite(root: root, journalMode: mode)) }
    }
    summary.secondsPerCheck = checks.secondsPerCheck
    try checks.finish()
    return summary
  }

  // MARK: tar

  /// Generates a ~`fileCount`-file tree locally, packs it with `tar -czf`, extracts it into
  /// `root` with `tar -xzf`, and compares (names, kinds, sizes, contents, permission bits,
  /// file mtimes, and `diff -r`). Then packs the extracted tree into a tarball written on
  /// `root`, extracts that locally and compares again.
  ///
  /// Run as root, tar also restores ownership (chown); pass `--no-same-owner` in
  /// `extraTarArguments` for a mount without chown support.
  @discardableResult
  public static func tarRoundTrip(
    root: String, fileCount: Int = 300, extraTarArguments: [String] = [], compareModificationTimes: Bool = true
  ) throws -> TarStats {
    let local = try ScratchDirectory.create(prefix: "fusetests-tar-")
    defer { try? FileTree.remove(local) }
    let source = FileTree.join(local, "source")
    try Sys.mkdirOrThrow(source)
    let generated = try SampleTree.generate(at: source, fileCount: fileCount)
    let localTarball = FileTree.join(local, "source.tar.gz")
    try CommandRunner.check("/usr/bin/tar", ["-czf", localTarball, "-C", source, "."])

    let ex = Expectations("tar")
    let extracted = try ScratchDirectory.fresh("tool-tar", in: root)
    let extract = try CommandRunner.run(
      "/usr/bin/tar", ["-xzf", localTarball, "-C", extracted] + extraTarArguments)
    ex.expect(extract.succeeded, "extract onto the folder under test: \(extract)")
    compareTrees(expected: source, actual: extracted, ex, "extracted tree", modificationTimes: compareModificationTimes)

    let remoteTarball = FileTree.join(root, "tool-tar.tar.gz")
    let create = try CommandRunner.run("/usr/bin/tar", ["-czf", remoteTarball, "-C", extracted, "."])
    ex.expect(create.succeeded, "create a tarball on the folder under test: \(create)")
    let back = FileTree.join(local, "back")
    try Sys.mkdirOrThrow(back)
    let reextract = try CommandRunner.run("/usr/bin/tar", ["-xzf", remoteTarball, "-C", back])
    ex.expect(reextract.succeeded, "extract the tarball written on the folder under test: \(reextract)")
    compareTrees(
      expected: source, actual: back, ex, "tree from tarball written on the folder under test",
      modificationTimes: compareModificationTimes)

    try ex.finish()
    try FileTree.remove(extracted)
    _ = Sys.unlink(remoteTarball)
    return TarStats(
      files: generated.files, bytes: generated.bytes, extractSeconds: extract.seconds, createSeconds: create.seconds)
  }

  /// Same round trip with /usr/include/linux (~600 real headers) when it exists; returns false
  /// when skipped.
  @discardableResult
  public static func tarSystemHeaders(root: String, extraTarArguments: [String] = []) throws -> Bool {
    let headers = "/usr/include/linux"
    guard Sys.lstat(headers).0.succeeded else { return false }
    let local = try ScratchDirectory.create(prefix: "fusetests-headers-")
    defer { try? FileTree.remove(local) }
    let tarball = FileTree.join(local, "linux.tar.gz")
    try CommandRunner.check("/usr/bin/tar", ["-czf", tarball, "-C", "/usr/include", "linux"])

    let ex = Expectations("tarSystemHeaders")
    let extracted = try ScratchDirectory.fresh("tool-headers", in: root)
    let extract = try CommandRunner.run("/usr/bin/tar", ["-xzf", tarball, "-C", extracted] + extraTarArguments)
    ex.expect(extract.succeeded, "extract: \(extract)")
    compareTrees(expected: headers, actual: FileTree.join(extracted, "linux"), ex, "extracted headers")
    try ex.finish()
    try FileTree.remove(extracted)
    return true
  }

  /// Our own walk (which also checks permission bits and file mtimes) and `diff -r`.
  private static func compareTrees(
    expected: String, actual: String, _ ex: Expectations, _ what: String, modificationTimes: Bool = true
  ) {
    let differences = FileTree.compare(
      expected: expected, actual: actual,
      options: FileTree.CompareOptions(modes: true, fileModificationTimes: modificationTimes))
    ex.expect(
      differences.isEmpty,
      "\(what): \(differences.count) differences: \(differences.prefix(10).joined(separator: "; "))")
    do {
      let diff = try CommandRunner.run("/usr/bin/diff", ["-r", expected, actual])
      ex.expect(diff.succeeded, "\(what): diff -r: \(diff)")
    } catch {
      ex.fail("\(what): cannot run diff: \(error)")
    }
  }

  // MARK: sqlite

  /// Creates a database on `root` and, each step in a separate sqlite3 process: creates a
  /// table and index, inserts `rows` rows in `transactions` transactions, updates and deletes
  /// some, rolls back a transaction that deletes everything, VACUUMs, then requires
  /// `PRAGMA integrity_check` = ok and the exact row count and sums computed here.
  @discardableResult
  public static func sqlite(
    root: String, rows: Int = 2000, transactions: Int = 4, journalMode: String = "DELETE",
    sqlite3: String = "/usr/bin/sqlite3"
  ) throws -> SQLiteStats {
    let ex = Expectations("sqlite(\(journalMode))")
    let dir = try ScratchDirectory.fresh("tool-sqlite-\(journalMode.lowercased())", in: root)
    let database = FileTree.join(dir, "test.db")
    let clock = ContinuousClock()
    let start = clock.now
    @discardableResult
    func sql(_ statements: String) throws -> CommandResult {
      try CommandRunner.check(sqlite3, ["-batch", "-bail", database, statements])
    }

    let created = try sql(
      """
      PRAGMA journal_mode=\(journalMode);
      CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL, payload TEXT NOT NULL);
      CREATE INDEX t_n ON t(n);
      """)
    ex.expect(
      created.stdout.trimmingWhitespace() == journalMode.lowercased(),
      "journal_mode reported \(created.stdout.trimmingWhitespace()), expected \(journalMode.lowercased())")

    // Payload: 500..799 copies of one letter, so pages fill and the file spans many blocks.
    let perTransaction = (rows + transactions - 1) / transactions
    for first in stride(from: 1, through: rows, by: perTransaction) {
      let last = min(rows, first + perTransaction - 1)
      try sql(
        """
        BEGIN;
        WITH RECURSIVE c(x) AS (SELECT \(first) UNION ALL SELECT x + 1 FROM c WHERE x < \(last))
        INSERT INTO t(id, name, n, payload)
          SELECT x, 'row' || x, x, substr(replace(hex(zeroblob(800)), '00', char(65 + x % 26)), 1, 500 + x % 300) FROM c;
        COMMIT;
        """)
    }
    try sql("BEGIN; UPDATE t SET n = n * 2 WHERE n % 3 = 0; DELETE FROM t WHERE n % 10 = 0; COMMIT;")
    try sql("BEGIN; DELETE FROM t; UPDATE t SET n = 0; ROLLBACK;")
    try sql("VACUUM;")
    let check = try sql("PRAGMA integrity_check; SELECT count(*), sum(n), sum(length(payload)) FROM t;")

    // The same arithmetic in Swift.
    var count = 0
    var sumN = 0
    var sumLength = 0
    for x in 1...rows {
      let n = x % 3 == 0 ? 2 * x : x
      if n % 10 == 0 { continue }
      count += 1
      sumN += n
      sumLength += 500 + x % 300
    }
    let lines = check.stdout.split(separator: "\n").map(String.init)
    ex.expect(lines.first == "ok", "integrity_check: \(lines.first ?? "<nothing>")")
    ex.expect(lines.dropFirst().first == "\(count)|\(sumN)|\(sumLength)",
      "count|sum(n)|sum(length): \(lines.dropFirst().first ?? "<nothing>"), expected \(count)|\(sumN)|\(sumLength)")

    let size = Int(Sys.lstat(database).1.st_size)
    let seconds = (clock.now - start).seconds
    try ex.finish()
    try FileTree.remove(dir)
    return SQLiteStats(journalMode: journalMode, rows: count, databaseBytes: size, seconds: seconds)
  }
}
