import Glibc
import GooseFSCore

extension LocalUnderFileSystem: UFSBlockingFileCopy {
  /// The same steps as `create` + `write` + `close` + `status` (hidden temporary name, exact
  /// mode, fsync, rename into place), on the calling thread. The bytes move with `sendfile`
  /// (no user-space buffer; it works between regular files) where the kernel can, else with
  /// pread/write.
  @available(*, noasync, message: "blocks on file I/O: call it on a blocking-work thread")
  public func createFile(_ path: String, mode: UInt16, createParents: Bool, copying sources: [UFSCopySource]) throws
    -> UFSStatus
  {
    let location = try resolve(path)
    guard let parent = location.uri.parent else {
      throw GooseFSError(.invalidArgument, "Cannot create a file at \"\(location.display)\".")
    }
    try Self.prepareNewFile(location, in: parent, createParents: createParents)
    let temporaryPath = (parent.path == "/" ? "" : parent.path) + "/" + LocalTemporaryName.make(for: location.name)
    let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode & 0o7777))
    guard fd >= 0 else {
      if errno == ENOENT { throw GooseFSError.pathDoesNotExist(parent.description) }
      throw posixError(errno, "create", location.display)
    }
    var open = true
    do {
      guard fchmod(fd, mode_t(mode & 0o7777)) == 0 else { throw posixError(errno, "create", location.display) }
      for source in sources {
        try Self.copy(source, to: fd, display: location.display)
      }
      // fsync before rename: otherwise a crash can leave the final name pointing at empty data.
      guard fsync(fd) == 0 else { throw posixError(errno, "write", location.display) }
      systemClose(fd)
      open = false
      guard Glibc.rename(temporaryPath, location.path) == 0 else { throw posixError(errno, "create", location.display) }
    } catch {
      if open { systemClose(fd) }
      unlink(temporaryPath)
      throw error
    }
    var info = stat()
    guard stat(location.path, &info) == 0 else { throw posixError(errno, "read status of", location.display) }
    var names = LocalIdentityNames()
    return UFSStatus(name: location.name, stat: info, names: &names)
  }

  /// Appends `source` to `fd` (both at their own positions: the source from offset 0).
  private static func copy(_ source: UFSCopySource, to fd: Int32, display: String) throws {
    var offset: Int64 = 0
    var kernelCopy = true
    while offset < source.length {
      let wanted = Int(min(source.length - offset, 8 << 20))
      var moved: Int
      if kernelCopy {
        var from = off_t(offset)
        moved = sendfile(fd, source.fd, &from, wanted)
        if moved < 0, errno == EINVAL || errno == ENOSYS {
          // Not between these two files: copy by hand.
          kernelCopy = false
          continue
        }
      } else {
        moved = try copyThroughBuffer(source.fd, at: offset, count: wanted, to: fd, display: display)
      }
      if moved < 0 {
        if errno == EINTR { continue }
        throw posixError(errno, "write", display)
      }
      guard moved > 0 else {
        throw GooseFSError(
          .corrupted, "The source of \(display) ended at byte \(offset) of \(source.length) (it is shorter than recorded).")
      }
      offset += Int64(moved)
    }
  }

  /// One pread of up to `count` bytes and the write of all of them; the bytes moved (0 at the
  /// source's end), or -1 with errno set by a failed pread.
  private static func copyThroughBuffer(_ from: Int32, at offset: Int64, count: Int, to fd: Int32, display: String) throws
    -> Int
  {
    let size = min(count, 1 << 20)
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
    defer { buffer.deallocate() }
    let read = pread(from, buffer, size, off_t(offset))
    guard read > 0 else { return read }
    var written = 0
    while written < read {
      let count = systemWrite(fd, buffer + written, read - written)
      if count >= 0 {
        written += count
      } else if errno != EINTR {
        throw posixError(errno, "write", display)
      }
    }
    return read
  }
}
