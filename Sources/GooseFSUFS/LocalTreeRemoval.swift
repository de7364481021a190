import GooseFSCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Recursive delete that never follows symlinks: every step is relative to an open directory
/// descriptor opened with O_NOFOLLOW, so a link (or a directory swapped for a link mid-way) is
/// removed as a link and nothing outside the tree is touched.
enum LocalTreeRemoval {
  /// Removes everything inside the directory at `path`, then the directory itself.
  static func removeTree(path: String, display: String) throws {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { throw posixError(errno, "delete", display) }
    try removeContents(ofDirectory: descriptor, display: display)
    guard rmdir(path) == 0 else {
      let code = errno
      if code == ENOENT { return }
      throw posixError(code, "delete", display)
    }
  }

  /// Empties an open directory; takes ownership of `descriptor`.
  private static func removeContents(ofDirectory descriptor: Int32, display: String) throws {
    guard let directory = fdopendir(descriptor) else {
      let code = errno
      close(descriptor)
      throw posixError(code, "delete", display)
    }
    defer { closedir(directory) }
    // Collect first: POSIX leaves it unspecified whether readdir sees changes made while iterating.
    var names: [String] = []
    try LocalDirectoryEntries.forEachName(in: directory, display: display) { names.append($0) }
    for name in names {
      let childDisplay = display + "/" + name
      if unlinkat(descriptor, name, 0) == 0 { continue }
      let code = errno
      if code == ENOENT { continue }
      // Linux reports EISDIR for unlinking a directory; macOS reports EPERM.
      guard code == EISDIR || code == EPERM else { throw posixError(code, "delete", childDisplay) }
      let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard child >= 0 else {
        // Not a directory after all: the EPERM was a real permission problem.
        throw posixError(errno == ENOTDIR ? code : errno, "delete", childDisplay)
      }
      try removeContents(ofDirectory: child, display: childDisplay)
      if unlinkat(descriptor, name, AT_REMOVEDIR) != 0, errno != ENOENT {
        throw posixError(errno, "delete", childDisplay)
      }
    }
  }
}
