// Thin wrappers over the Glibc calls under test that return a SyscallOutcome. They add no
// behaviour of their own (no retries except EINTR, no path fixing), because the point is to see
// exactly what the file system answers.
import Glibc

public enum Sys {
  /// O_CLOEXEC is always added so descriptors never leak into the tools that ToolChecks spawns.
  public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.open(path, flags | O_CLOEXEC, mode))
  }

  public static func close(_ fd: Int32) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.close(fd))
  }

  public static func mkdir(_ path: String, _ mode: mode_t = 0o755) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.mkdir(path, mode))
  }

  public static func rmdir(_ path: String) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.rmdir(path))
  }

  public static func unlink(_ path: String) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.unlink(path))
  }

  public static func rename(_ from: String, _ to: String) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.rename(from, to))
  }

  public static func truncate(_ path: String, _ size: Int) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.truncate(path, off_t(size)))
  }

  public static func ftruncate(_ fd: Int32, _ size: Int) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.ftruncate(fd, off_t(size)))
  }

  public static func chmod(_ path: String, _ mode: mode_t) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.chmod(path, mode))
  }

  public static func fchmod(_ fd: Int32, _ mode: mode_t) -> SyscallOutcome {
    SyscallOutcome(returning: Glibc.fchmod(fd, mode))
  }

  /// lstat: the outcome plus the stat buffer when it succeeded.
  public static func lstat(_ path: String) -> (SyscallOutcome, stat) {
    var info = stat()
    let outcome = SyscallOutcome(returning: Glibc.lstat(path, &info))
    return (outcome, info)
  }

  public static func fstat(_ fd: Int32) -> (SyscallOutcome, stat) {
    var info = stat()
    let outcome = SyscallOutcome(returning: Glibc.fstat(fd, &info))
    return (outcome, info)
  }

  /// pwrite until every byte is written (a short write is legal and not an error);
  /// success carries the total byte count.
  public static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int) -> SyscallOutcome {
    untilDone(bytes.count, endOfFileIsError: true) { Glibc.pwrite(fd, bytes.baseAddress! + $0, bytes.count - $0, off_t(offset + $0)) }
  }

  /// write (at the file position, honouring O_APPEND) until every byte is written.
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> SyscallOutcome {
    untilDone(bytes.count, endOfFileIsError: true) { Glibc.write(fd, bytes.baseAddress! + $0, bytes.count - $0) }
  }

  /// pread until `buffer` is full or end of file; success carries the byte count. Short reads in
  /// the middle are followed up, so two file systems that split reads differently still compare equal.
  public static func preadFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: Int) -> SyscallOutcome {
    untilDone(buffer.count, endOfFileIsError: false) { Glibc.pread(fd, buffer.baseAddress! + $0, buffer.count - $0, off_t(offset + $0)) }
  }

  /// read (at the file position) until `buffer` is full or end of file.
  public static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> SyscallOutcome {
    untilDone(buffer.count, endOfFileIsError: false) { Glibc.read(fd, buffer.baseAddress! + $0, buffer.count - $0) }
  }

  /// Repeats `step(done)` (one read or write syscall) until `count` bytes moved, retrying EINTR.
  /// A step that moves nothing is the end of file for reads, and an I/O error for writes (no
  /// progress: rather than spin).
  private static func untilDone(_ count: Int, endOfFileIsError: Bool, _ step: (Int) -> Int) -> SyscallOutcome {
    var done = 0
    while done < count {
      let n = step(done)
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(errno)
      }
      if n == 0 {
        if endOfFileIsError { return .failure(EIO) }
        break
      }
      done += n
    }
    return .success(done)
  }

  /// pread of `count` bytes at `offset` into a new array (shorter at end of file).
  public static func pread(_ fd: Int32, count: Int, offset: Int) -> Result<[UInt8], PosixError> {
    var bytes = [UInt8](repeating: 0, count: count)
    let outcome = bytes.withUnsafeMutableBytes { preadFully(fd, $0, offset: offset) }
    switch outcome {
    case .success(let n):
      bytes.removeLast(count - n)
      return .success(bytes)
    case .failure(let code):
      return .failure(PosixError("pread", "fd \(fd)", code))
    }
  }
}

extension Sys {
  /// mkdir for setup steps, where failure is not the thing being tested.
  public static func mkdirOrThrow(_ path: String, _ mode: mode_t = 0o755) throws(PosixError) {
    if let code = mkdir(path, mode).errorCode { throw PosixError("mkdir", path, code) }
  }
}

/// A failed call with its context, for thrown errors.
public struct PosixError: Error, Sendable, CustomStringConvertible {
  public let operation: String
  public let path: String
  public let code: Int32

  public init(_ operation: String, _ path: String, _ code: Int32) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  public var description: String {
    "\(operation)(\(path)) failed: \(ErrnoName.of(code)) (\(String(cString: strerror(code))))"
  }
}
