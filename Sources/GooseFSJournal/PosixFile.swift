import Foundation
import GooseFSCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin wrappers over the POSIX calls the journal needs. POSIX rather than FileManager because
/// durability needs fsync on files *and* directories, and recovery wants one read per file.
/// Every failure becomes `GooseFSError(.ioError)` naming the path and the system's reason.
enum PosixFile {
  static func ioError(_ action: String, _ path: String, errno code: Int32 = errno) -> GooseFSError {
    GooseFSError(.ioError, "Cannot \(action) \(path): \(String(cString: strerror(code)))")
  }

  static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
    while true {
      let fd = open(path, flags | O_CLOEXEC, mode)
      if fd >= 0 { return fd }
      if errno != EINTR { throw ioError("open", path) }
    }
  }

  static func closeFile(_ fd: Int32) {
    _ = close(fd)
  }

  /// Writes all of `bytes`, retrying short writes (a regular file rarely returns one, but a full
  /// disk can, and then the next attempt reports the real error).
  static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
    var written = 0
    while written < bytes.count {
      let result = write(fd, bytes.baseAddress! + written, bytes.count - written)
      if result < 0 {
        if errno == EINTR { continue }
        throw ioError("write to", path)
      }
      written += result
    }
  }

  static func syncFile(_ fd: Int32, path: String) throws {
    while fsync(fd) != 0 {
      if errno != EINTR { throw ioError("fsync", path) }
    }
  }

  /// Makes creations, renames and deletions inside `directory` durable.
  static func syncDirectory(_ directory: String) throws {
    let fd = try openFile(directory, O_RDONLY | O_DIRECTORY)
    defer { closeFile(fd) }
    try syncFile(fd, path: directory)
  }

  /// The whole file in one buffer, read with as few calls as the kernel allows.
  static func readWholeFile(_ path: String) throws -> [UInt8] {
    let fd = try openFile(path, O_RDONLY)
    defer { closeFile(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw ioError("stat", path) }
    let size = Int(status.st_size)
    var failure: GooseFSError?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      while count < size {
        let result = read(fd, buffer.baseAddress! + count, size - count)
        if result < 0 {
          if errno == EINTR { continue }
          failure = ioError("read", path)
          return
        }
        if result == 0 { break }  // The file shrank under us; parse what is there.
        count += result
      }
    }
    if let failure { throw failure }
    return bytes
  }

  static func truncateFile(_ path: String, toLength length: Int) throws {
    let fd = try openFile(path, O_WRONLY)
    defer { closeFile(fd) }
    guard ftruncate(fd, off_t(length)) == 0 else { throw ioError("truncate", path) }
    try syncFile(fd, path: path)
  }

  static func removeFile(_ path: String) throws {
    guard unlink(path) == 0 || errno == ENOENT else { throw ioError("delete", path) }
  }

  static func renameFile(_ from: String, to: String) throws {
    guard rename(from, to) == 0 else { throw ioError("rename \(from) to", to) }
  }

  static func createDirectories(_ path: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw GooseFSError(.ioError, "Cannot create journal folder \(path): \(error.localizedDescription)")
    }
  }

  static func listDirectory(_ path: String) throws -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw GooseFSError(.ioError, "Cannot list journal folder \(path): \(error.localizedDescription)")
    }
  }

  static func fileSize(_ path: String) -> Int? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return Int(status.st_size)
  }
}
