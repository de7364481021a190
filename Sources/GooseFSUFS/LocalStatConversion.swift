#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension UFSStatus {
  /// Converts `stat` output. Anything that is not a directory (regular file, device, fifo) is
  /// reported as a file; symlinks never reach here because callers stat through them.
  init(name: String, stat info: stat, names: inout LocalIdentityNames) {
    let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
    #if canImport(Darwin)
      let modified = info.st_mtimespec
    #else
      let modified = info.st_mtim
    #endif
    let seconds = Int64(modified.tv_sec)
    let nanoseconds = Int64(modified.tv_nsec)
    let owner = names.userName(info.st_uid)
    let group = names.groupName(info.st_gid)
    let mode = UInt16(truncatingIfNeeded: info.st_mode) & 0o7777
    let length = Int64(info.st_size)
    self.init(
      name: name,
      isDirectory: isDirectory,
      length: length,
      lastModified: seconds * 1000 + nanoseconds / 1_000_000,
      mode: mode,
      owner: owner,
      group: group,
      fingerprint: UFSStatus.posixFingerprint(
        isDirectory: isDirectory, length: length, mtime: seconds * 1_000_000_000 + nanoseconds,
        owner: owner, group: group, mode: mode))
  }
}
