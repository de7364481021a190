// Reading whole trees through the same syscalls the checks exercise (opendir/readdir, lstat,
// read), so a final comparison also tests directory listing on the mount, and removing them
// depth first with unlink/rmdir.
import Glibc

/// Kind of a directory entry as lstat reports it (symlinks are not followed).
public enum FileKind: String, Sendable {
  case regular, directory, symlink, other

  public init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    case S_IFLNK: self = .symlink
    default: self = .other
    }
  }
}

/// One entry of a walked tree. Directory sizes are kept but never compared: they are file
/// system specific (4096 on ext4, anything on FUSE).
public struct TreeEntry: Sendable, Equatable {
  public var kind: FileKind
  public var size: Int
  public var mode: mode_t
  public var modificationSeconds: Int
}

public enum FileTree {
  public static func join(_ base: String, _ relative: String) -> String {
    if relative.isEmpty { return base }
    if base.hasSuffix("/") { return base + relative }
    return base + "/" + relative
  }

  /// Names in a directory without "." and "..", in readdir order (duplicates kept, so callers
  /// can detect them).
  public static func list(_ path: String) -> Result<[String], PosixError> {
    guard let dir = opendir(path) else { return .failure(PosixError("opendir", path, errno)) }
    defer { closedir(dir) }
    var names: [String] = []
    while true {
      errno = 0
      guard let entry = readdir(dir) else {
        // readdir returns NULL both at the end and on error; only errno tells them apart.
        if errno != 0 { return .failure(PosixError("readdir", path, errno)) }
        break
      }
      let name = entryName(entry)
      if name != "." && name != ".." { names.append(name) }
    }
    return .success(names)
  }

  /// The name in a readdir entry.
  static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    withUnsafePointer(to: &entry.pointee.d_name) {
      $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
    }
  }

  /// Every entry below `root`, keyed by path relative to `root` ("a/b/c").
  public static func walk(_ root: String) throws(PosixError) -> [String: TreeEntry] {
    var result: [String: TreeEntry] = [:]
    var pending: [String] = [""]
    while let relative = pending.popLast() {
      let names = try list(join(root, relative)).get()
      for name in names {
        let child = relative.isEmpty ? name : relative + "/" + name
        let (outcome, info) = Sys.lstat(join(root, child))
        if let code = outcome.errorCode { throw PosixError("lstat", join(root, child), code) }
        let entry = TreeEntry(
          kind: FileKind(mode: info.st_mode), size: Int(info.st_size),
          mode: info.st_mode & 0o7777, modificationSeconds: Int(info.st_mtim.tv_sec))
        result[child] = entry
        if entry.kind == .directory { pending.append(child) }
      }
    }
    return result
  }

  /// Removes `path` and everything below it; a missing path is not an error.
  public static func remove(_ path: String) throws(PosixError) {
    let (outcome, info) = Sys.lstat(path)
    if outcome.errorCode == ENOENT { return }
    if let code = outcome.errorCode { throw PosixError("lstat", path, code) }
    if FileKind(mode: info.st_mode) == .directory {
      // Make sure we may delete children even if a check left the directory read-only.
      _ = Glibc.chmod(path, 0o755)
      for name in try list(path).get() {
        try remove(join(path, name))
      }
      if let code = Sys.rmdir(path).errorCode { throw PosixError("rmdir", path, code) }
    } else if let code = Sys.unlink(path).errorCode {
      throw PosixError("unlink", path, code)
    }
  }

  /// Options for `compare`: what must match besides names, kinds and file contents.
  public struct CompareOptions: Sendable {
    /// Compare permission bits (st_mode & 07777) of every entry.
    public var modes: Bool
    /// Compare whole-second mtimes of regular files (what tar restores).
    public var fileModificationTimes: Bool

    public init(modes: Bool = false, fileModificationTimes: Bool = false) {
      self.modes = modes
      self.fileModificationTimes = fileModificationTimes
    }
  }

  /// Differences between two trees: names, kinds, file sizes and file contents (plus what
  /// `options` asks for). An empty result means the trees are equal.
  public static func compare(
    expected: String, actual: String, options: CompareOptions = CompareOptions()
  ) -> [String] {
    let expectedTree: [String: TreeEntry]
    let actualTree: [String: TreeEntry]
    do {
      expectedTree = try walk(expected)
      actualTree = try walk(actual)
    } catch {
      return ["cannot walk trees: \(error)"]
    }
    var differences: [String] = []
    for name in expectedTree.keys.sorted() where actualTree[name] == nil {
      differences.append("\(name): missing (expected \(expectedTree[name]!.kind))")
    }
    for name in actualTree.keys.sorted() where expectedTree[name] == nil {
      differences.append("\(name): unexpected \(actualTree[name]!.kind)")
    }
    for name in expectedTree.keys.sorted() {
      guard let want = expectedTree[name], let got = actualTree[name] else { continue }
      if want.kind != got.kind {
        differences.append("\(name): kind \(got.kind), expected \(want.kind)")
        continue
      }
      if options.modes && want.mode != got.mode {
        differences.append(
          "\(name): mode \(String(got.mode, radix: 8)), expected \(String(want.mode, radix: 8))")
      }
      guard want.kind == .regular else { continue }
      if want.size != got.size {
        differences.append("\(name): size \(got.size), expected \(want.size)")
      } else if let problem = compareContents(expected: join(expected, name), actual: join(actual, name)) {
        differences.append("\(name): \(problem)")
      }
      if options.fileModificationTimes && want.modificationSeconds != got.modificationSeconds {
        differences.append("\(name): mtime \(got.modificationSeconds), expected \(want.modificationSeconds)")
      }
    }
    return differences
  }

  /// Streams both files in 1 MiB chunks; nil when byte-identical, otherwise a description of the
  /// first difference (offset, or which side ended early).
  public static func compareContents(expected: String, actual: String) -> String? {
    let chunk = 1 << 20
    let fdExpected = Glibc.open(expected, O_RDONLY | O_CLOEXEC)
    if fdExpected < 0 { return "cannot open expected: \(ErrnoName.of(errno))" }
    defer { _ = Glibc.close(fdExpected) }
    let fdActual = Glibc.open(actual, O_RDONLY | O_CLOEXEC)
    if fdActual < 0 { return "cannot open: \(ErrnoName.of(errno))" }
    defer { _ = Glibc.close(fdActual) }
    let bufferExpected = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
    defer { bufferExpected.deallocate() }
    let bufferActual = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
    defer { bufferActual.deallocate() }
    var offset = 0
    while true {
      let a = Sys.readFully(fdExpected, bufferExpected)
      let b = Sys.readFully(fdActual, bufferActual)
      guard case .success(let countExpected) = a else { return "read of expected failed: \(a)" }
      guard case .success(let countActual) = b else { return "read failed at offset \(offset): \(b)" }
      let common = min(countExpected, countActual)
      if memcmp(bufferExpected.baseAddress!, bufferActual.baseAddress!, common) != 0 {
        var index = 0
        while bufferExpected[index] == bufferActual[index] { index += 1 }
        return "contents differ at offset \(offset + index)"
          + " (byte \(bufferActual[index]), expected \(bufferExpected[index]))"
      }
      if countExpected != countActual {
        return "read returned \(countActual) bytes at offset \(offset), expected \(countExpected)"
      }
      if countExpected == 0 { return nil }
      offset += countExpected
    }
  }
}
