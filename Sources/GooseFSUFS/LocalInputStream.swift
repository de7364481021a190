import GooseFSCore
import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Positioned reads of a local file with `pread`, so concurrent readers need no shared cursor.
final class LocalInputStream: UFSInputStream {
  private let descriptor: LocalSharedDescriptor
  private let display: String

  /// Opens the file on the calling (pool) thread.
  init(path: String, display: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw posixError(errno, "open", display) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      systemClose(fd)
      throw posixError(code, "open", display)
    }
    guard (info.st_mode & S_IFMT) != S_IFDIR else {
      systemClose(fd)
      throw GooseFSError(.failedPrecondition, "Cannot read \"\(display)\": it is a directory.")
    }
    self.descriptor = LocalSharedDescriptor(fd, display: display)
    self.display = display
  }

  func read(offset: Int64, length: Int) async throws -> ByteBuffer {
    guard offset >= 0, length >= 0 else {
      throw GooseFSError(
        .invalidArgument, "Invalid read of \"\(display)\": offset \(offset), length \(length).")
    }
    return try await UFSBlockingPool.run { [descriptor, display] in
      try descriptor.withDescriptor { fd in try Self.read(fd, offset: offset, length: length, display: display) }
    }
  }

  func close() async {
    descriptor.close()
  }

  private static func read(_ fd: Int32, offset: Int64, length: Int, display: String) throws -> ByteBuffer {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw posixError(errno, "read", display) }
    // Size the buffer by what the file holds, so a huge `length` near EOF allocates nothing extra.
    let wanted = Int(max(0, min(Int64(length), Int64(info.st_size) - offset)))
    var buffer = ByteBufferAllocator().buffer(capacity: wanted)
    guard wanted > 0 else { return buffer }
    try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { raw in
      var total = 0
      while total < wanted {
        let count = pread(fd, raw.baseAddress! + total, wanted - total, off_t(offset) + off_t(total))
        if count > 0 {
          total += count
        } else if count == 0 {
          break  // The file shrank since fstat.
        } else if errno != EINTR {
          throw posixError(errno, "read", display)
        }
      }
      return total
    }
    return buffer
  }
}
