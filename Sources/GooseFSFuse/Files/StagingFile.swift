import GooseFSCore
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// A local copy of a file being changed in ways GooseFS files cannot be (random writes,
/// appends, truncation): changed here, committed as a new version. Unlinked at creation, so a
/// crashed daemon leaves nothing behind.
final class StagingFile: @unchecked Sendable {
  private let fd: Int32

  init(folder: String) throws {
    var template = Array((folder + "/goosefs-fuse-staging-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw GooseFSError(.ioError, "Cannot create a staging file in \(folder) (goosefs.tmp.dirs): \(Self.lastError())")
    }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    self.fd = fd
  }

  deinit { close(fd) }

  func write(_ buffer: ByteBuffer, at offset: Int64) throws {
    try buffer.withUnsafeReadableBytes { bytes in
      var done = 0
      while done < bytes.count {
        let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { throw GooseFSError(.resourceExhausted, "Writing the staging file failed: \(Self.lastError())") }
        done += n
      }
    }
  }

  /// Up to `count` bytes at `offset`; short only at the end.
  func read(at offset: Int64, count: Int) throws -> ByteBuffer {
    var buffer = ByteBufferAllocator().buffer(capacity: count)
    _ = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer -> Int in
      var done = 0
      while done < count {
        let n = pread(fd, pointer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
        if n < 0, errno == EINTR { continue }
        if n < 0 { throw GooseFSError(.ioError, "Reading the staging file failed: \(Self.lastError())") }
        if n == 0 { break }
        done += n
      }
      return done
    }
    return buffer
  }

  func truncate(to length: Int64) throws {
    guard ftruncate(fd, off_t(length)) == 0 else {
      throw GooseFSError(.resourceExhausted, "Truncating the staging file failed: \(Self.lastError())")
    }
  }

  private static func lastError() -> String { String(cString: strerror(errno)) }
}
