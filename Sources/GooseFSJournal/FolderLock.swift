import GooseFSCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The advisory exclusive lock on `<folder>/LOCK` that keeps two masters from writing one journal.
///
/// `flock` rather than `fcntl` locks: flock locks belong to the open file description, so a second
/// open inside the same process conflicts too (fcntl locks are per process and would not), and
/// the kernel drops the lock when the holder dies, so a restart after `kill -9` just works. The
/// holder writes its pid into the file only to make the refusal message useful.
final class FolderLock: Sendable {
  let folder: String
  private let descriptor: Mutex<Int32?>

  private init(folder: String, descriptor: Int32) {
    self.folder = folder
    self.descriptor = Mutex(descriptor)
  }

  static func acquire(folder: String) throws -> FolderLock {
    let path = folder + "/" + JournalFileName.lock
    let fd = try PosixFile.openFile(path, O_RDWR | O_CREAT)
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let reason = errno
      PosixFile.closeFile(fd)
      if reason == EWOULDBLOCK {
        throw inUseError(folder: folder, holder: holderPid(lockPath: path))
      }
      throw PosixFile.ioError("lock", path, errno: reason)
    }
    let pid = Array("\(getpid())\n".utf8)
    do {
      guard ftruncate(fd, 0) == 0 else { throw PosixFile.ioError("truncate", path) }
      try pid.withUnsafeBytes { try PosixFile.writeAll(fd, $0, path: path) }
    } catch {
      PosixFile.closeFile(fd)
      throw error
    }
    return FolderLock(folder: folder, descriptor: fd)
  }

  /// Closing the descriptor releases the lock. The pid stays in the file: a stale pid is harmless
  /// because only a held lock is ever reported.
  func release() {
    descriptor.withLock { fd in
      if let open = fd { PosixFile.closeFile(open) }
      fd = nil
    }
  }

  deinit { release() }

  static func inUseError(folder: String, holder: Int32?) -> GooseFSError {
    let who = holder.map { "pid \($0)" } ?? "pid unknown"
    return GooseFSError(.failedPrecondition, "Journal folder \(folder) is in use by another master (\(who))")
  }

  private static func holderPid(lockPath: String) -> Int32? {
    guard let bytes = try? PosixFile.readWholeFile(lockPath) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int32($0) }
  }
}
