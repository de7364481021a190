import GooseFSCore
import Logging
import NIOCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes to a hidden temporary file next to the destination and renames it into place on close,
/// so readers and metadata sync see either no file or the complete one.
final class LocalOutputStream: UFSOutputStream {
  private enum Phase {
    case writing
    case finishing
    case done
  }

  private let descriptor: LocalSharedDescriptor
  private let temporaryPath: String
  private let finalPath: String
  private let display: String
  private let logger: Logger
  private let phase = Mutex(Phase.writing)

  /// Creates the temporary file on the calling (pool) thread. `mode` is applied exactly,
  /// regardless of the process umask.
  init(finalPath: String, directory: String, name: String, mode: UInt16, display: String, logger: Logger) throws {
    let temporaryPath = (directory == "/" ? "" : directory) + "/" + LocalTemporaryName.make(for: name)
    let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode & 0o7777))
    guard fd >= 0 else { throw posixError(errno, "create", display) }
    guard fchmod(fd, mode_t(mode & 0o7777)) == 0 else {
      let code = errno
      systemClose(fd)
      unlink(temporaryPath)
      throw posixError(code, "create", display)
    }
    self.descriptor = LocalSharedDescriptor(fd, display: display)
    self.temporaryPath = temporaryPath
    self.finalPath = finalPath
    self.display = display
    self.logger = logger
  }

  func write(_ buffer: ByteBuffer) async throws {
    guard phase.withLock({ $0 == .writing }) else {
      throw GooseFSError(.failedPrecondition, "Stream for \"\(display)\" is already closed.")
    }
    guard buffer.readableBytes > 0 else { return }
    try await UFSBlockingPool.run { [descriptor, display] in
      try descriptor.withDescriptor { fd in
        try buffer.withUnsafeReadableBytes { raw in
          var written = 0
          while written < raw.count {
            let count = systemWrite(fd, raw.baseAddress! + written, raw.count - written)
            if count >= 0 {
              written += count
            } else if errno != EINTR {
              throw posixError(errno, "write", display)
            }
          }
        }
      }
    }
  }

  func close() async throws {
    let claimed = phase.withLock { phase -> Bool in
      guard phase == .writing else { return false }
      phase = .finishing
      return true
    }
    guard claimed else {
      throw GooseFSError(.failedPrecondition, "Stream for \"\(display)\" is already closed.")
    }
    defer { phase.withLock { $0 = .done } }
    do {
      try await UFSBlockingPool.run { [descriptor, temporaryPath, finalPath, display] in
        // fsync before rename: otherwise a crash can leave the final name pointing at empty data.
        try descriptor.withDescriptor { fd in
          guard fsync(fd) == 0 else { throw posixError(errno, "write", display) }
        }
        descriptor.close()
        guard rename(temporaryPath, finalPath) == 0 else { throw posixError(errno, "create", display) }
      }
    } catch {
      await discardTemporary()
      throw error
    }
  }

  func abort() async {
    let claimed = phase.withLock { phase -> Bool in
      guard phase == .writing else { return false }
      phase = .done
      return true
    }
    guard claimed else { return }
    await discardTemporary()
  }

  /// Closes and removes the temporary file. Runs on the pool, except when the task is already
  /// cancelled (the pool refuses work then): cleanup must still happen, so one `unlink` runs here.
  private func discardTemporary() async {
    do {
      try await UFSBlockingPool.run { [descriptor, temporaryPath, display] in
        try Self.removeTemporary(descriptor, temporaryPath, display: display)
      }
    } catch let error as GooseFSError where error.code == .cancelled {
      do {
        try Self.removeTemporary(descriptor, temporaryPath, display: display)
      } catch {
        logger.warning("Could not remove temporary file \(temporaryPath): \(error)")
      }
    } catch {
      logger.warning("Could not remove temporary file \(temporaryPath): \(error)")
    }
  }

  private static func removeTemporary(
    _ descriptor: LocalSharedDescriptor, _ temporaryPath: String, display: String
  ) throws {
    descriptor.close()
    guard unlink(temporaryPath) == 0 || errno == ENOENT else {
      throw posixError(errno, "remove temporary file of", display)
    }
  }

  deinit {
    // Dropped without close or abort: remove the temporary now rather than leak it. One unlink is
    // cheap enough to run on whichever thread releases the stream.
    if phase.withLock({ $0 == .writing }) {
      unlink(temporaryPath)
    }
  }
}
