// readdir of a large directory: exactly the created names, each once. FUSE daemons stream
// listings in pages resumed by an offset cookie, and off-by-one or unstable cookies show up
// as missing or duplicated names only once a listing spans many pages.
import Glibc

public struct ReaddirStats: Sendable {
  public var count: Int
  public var createSeconds: Double
  public var listSeconds: Double
  /// Listing again after removing every tenth entry (catches stale cached listings).
  public var relistSeconds: Double
}

extension PosixChecks {
  @discardableResult
  public static func readdir(root: String, count: Int) throws -> ReaddirStats {
    let ex = Expectations("readdir(\(count))")
    let dir = try ScratchDirectory.fresh("posix-readdir", in: root)
    let names = (0..<count).map(entryName)

    // creat() + close per name: the cheapest way to make many empty files.
    let ((), createSeconds) = try timed { () throws(PosixError) in
      for name in names {
        let path = FileTree.join(dir, name)
        let fd = creat(path, 0o644)
        if fd < 0 { throw PosixError("creat", path, errno) }
        if close(fd) != 0 { throw PosixError("close", path, errno) }
      }
    }

    let (listed, listSeconds) = try timed { () throws(PosixError) in try FileTree.list(dir).get() }
    compare(listed, expected: names, ex, "full listing")

    // Remove every tenth entry and list again.
    var remaining: [String] = []
    for (index, name) in names.enumerated() {
      if index % 10 == 0 {
        ex.succeeds(Sys.unlink(FileTree.join(dir, name)), "unlink \(name)")
      } else {
        remaining.append(name)
      }
    }
    let (relisted, relistSeconds) = try timed { () throws(PosixError) in try FileTree.list(dir).get() }
    compare(relisted, expected: remaining, ex, "listing after removing every tenth entry")

    try ex.finish()
    try FileTree.remove(dir)
    return ReaddirStats(count: count, createSeconds: createSeconds, listSeconds: listSeconds, relistSeconds: relistSeconds)
  }

  /// "e0000042": fixed width so names sort like their numbers.
  static func entryName(_ index: Int) -> String {
    let digits = String(index)
    return "e" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
  }

  private static func compare(_ listed: [String], expected: [String], _ ex: Expectations, _ what: String) {
    var seen: [String: Int] = [:]
    for name in listed { seen[name, default: 0] += 1 }
    let duplicates = seen.filter { $0.value > 1 }.keys.sorted()
    let expectedSet = Set(expected)
    let missing = expected.filter { seen[$0] == nil }
    let extra = seen.keys.filter { !expectedSet.contains($0) }.sorted()
    ex.expect(listed.count == expected.count, "\(what): readdir returned \(listed.count) names, expected \(expected.count)")
    ex.expect(duplicates.isEmpty, "\(what): \(duplicates.count) duplicated names, e.g. \(duplicates.prefix(5))")
    ex.expect(missing.isEmpty, "\(what): \(missing.count) names missing, e.g. \(missing.prefix(5))")
    ex.expect(extra.isEmpty, "\(what): \(extra.count) unexpected names, e.g. \(extra.prefix(5))")
  }
}

extension PosixChecks {
  /// rewinddir and seekdir on a directory of `expectedCount` entries: reading on after a seek back
  /// to a telldir position gives exactly the names that followed it, and a rewind lists
  /// everything again. A daemon that streams listings must restart them for these.
  public static func readdirSeeks(directory: String, expectedCount: Int) throws {
    let ex = Expectations("readdir seeks in \(directory)")
    guard let dir = opendir(directory) else { throw PosixError("opendir", directory, errno) }
    defer { closedir(dir) }
    let markAt = expectedCount / 10
    var first: [String] = []
    var mark = -1
    while let name = try nextName(dir, directory) {
      first.append(name)
      if first.count == markAt { mark = telldir(dir) }
      if first.count == markAt * 3 { break }
    }
    ex.expect(mark >= 0, "telldir after \(markAt) entries")
    rewinddir(dir)
    var all: [String] = []
    while let name = try nextName(dir, directory) { all.append(name) }
    ex.expect(Set(all).count == all.count, "rewinddir then readdir: \(all.count - Set(all).count) names repeated")
    ex.expect(all.count == expectedCount, "rewinddir then readdir: \(all.count) names, expected \(expectedCount)")
    ex.expect(Array(all.prefix(first.count)) == first, "the second pass starts with the names of the first")
    seekdir(dir, mark)
    var afterMark: [String] = []
    while let name = try nextName(dir, directory) { afterMark.append(name) }
    ex.expect(
      afterMark == Array(all.dropFirst(markAt)),
      "after seekdir back to entry \(markAt): \(afterMark.count) names, expected the \(all.count - markAt) that follow it")
    try ex.finish()
  }

  /// The next name other than "." and "..", or nil at the end.
  private static func nextName(_ dir: OpaquePointer, _ path: String) throws -> String? {
    while true {
      errno = 0
      guard let entry = Glibc.readdir(dir) else {
        if errno != 0 { throw PosixError("readdir", path, errno) }
        return nil
      }
      let name = FileTree.entryName(entry)
      if name != "." && name != ".." { return name }
    }
  }
}
