import GooseFSCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin wrappers over `opendir`/`readdir` shared by listing and recursive delete.
enum LocalDirectoryEntries {
  /// Calls `body` with each entry name except `.` and `..`. Names that are not valid UTF-8 are
  /// decoded lossily (such entries cannot be addressed by a later call; GooseFS paths are UTF-8).
  static func forEachName(
    in directory: OpaquePointer, display: String, _ body: (String) throws -> Void
  ) throws {
    while true {
      errno = 0
      guard let entry = readdir(directory) else {
        let code = errno
        if code != 0 { throw posixError(code, "list", display) }
        return
      }
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      try body(name)
    }
  }

  /// Lists a directory in one pass: `readdir` plus `fstatat` relative to the open directory, which
  /// avoids re-resolving the full path per entry and keeps 100k-entry folders fast.
  ///
  /// Symlinks are followed (entries report their target's type and size, like `ls -L`), because
  /// the namespace has no symlink notion and a linked data set should read like a copied one.
  /// Dangling or looping links are skipped: they have no content to serve.
  /// Returns nil when the path is missing or not a directory.
  static func list(path: String, display: String) throws -> [UFSStatus]? {
    guard let directory = opendir(path) else {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return nil }
      throw posixError(code, "list", display)
    }
    defer { closedir(directory) }
    let directoryFD = dirfd(directory)
    var names = LocalIdentityNames()
    var children: [UFSStatus] = []
    try forEachName(in: directory, display: display) { name in
      if LocalTemporaryName.isTemporary(name) { return }
      var info = stat()
      guard fstatat(directoryFD, name, &info, 0) == 0 else {
        let code = errno
        // ENOENT also covers an entry deleted between readdir and fstatat.
        if code == ENOENT || code == ELOOP { return }
        throw posixError(code, "read status of", display + "/" + name)
      }
      children.append(UFSStatus(name: name, stat: info, names: &names))
    }
    children.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    return children
  }
}
