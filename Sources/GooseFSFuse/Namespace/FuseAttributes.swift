import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

/// FileInfo → `struct stat` as the kernel caches it.
struct FuseAttributes: Sendable {
  let identities: FuseIdentities
  /// What `st_blksize` advertises: tools like `cp` size their buffers by it, and 1 MiB is the
  /// request size the mount negotiates.
  static let preferredIOSize = 1 << 20

  /// `length` overrides the recorded length (a file being written through this daemon).
  func stat(_ info: FileInfo, node: UInt64, length: Int64? = nil) -> stat {
    var attributes = Glibc.stat()
    attributes.st_ino = ino_t(node)
    let kind: mode_t = info.isDirectory ? S_IFDIR : (info.symlinkTarget.isEmpty ? S_IFREG : S_IFLNK)
    attributes.st_mode = kind | mode_t(info.mode & 0o7777)
    attributes.st_nlink = info.isDirectory ? 2 : 1
    attributes.st_uid = identities.uid(forOwner: info.owner)
    attributes.st_gid = identities.gid(forGroup: info.group)
    let size = info.isDirectory ? 4096 : (length ?? info.length)
    attributes.st_size = off_t(size)
    attributes.st_blocks = blkcnt_t((size + 511) / 512)
    attributes.st_blksize = blksize_t(Self.preferredIOSize)
    attributes.st_mtim = Self.timespec(milliseconds: info.lastModificationTimeMs)
    attributes.st_ctim = attributes.st_mtim
    attributes.st_atim = Self.timespec(milliseconds: max(info.lastAccessTimeMs, info.lastModificationTimeMs))
    return attributes
  }

  static func timespec(milliseconds: Int64) -> Glibc.timespec {
    Glibc.timespec(tv_sec: time_t(milliseconds / 1000), tv_nsec: Int((milliseconds % 1000) * 1_000_000))
  }

  /// The inverse: GooseFS keeps milliseconds.
  static func milliseconds(_ time: Glibc.timespec) -> Int64 {
    Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
  }
}
