import Foundation
import Glibc
import GooseFSCore

/// The file-system operations of the store, each failing with a `GooseFSError` that names the path.
/// Plain syscalls: these are metadata operations and whole-file copies, not the data path.
enum BlockFiles {
  static func makeDirectory(_ path: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw GooseFSError(.ioError, "Cannot create block directory \(path): \(error.localizedDescription)")
    }
  }

  /// Names in `path`, or an error naming it.
  static func list(_ path: String) throws -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw GooseFSError(.ioError, "Cannot list block directory \(path): \(error.localizedDescription)")
    }
  }

  static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
    while true {
      let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
      if fd >= 0 { return fd }
      if errno == EINTR { continue }
      throw IOError.failure("open", path: path, errno: errno)
    }
  }

  static func sync(_ fd: Int32, path: String) throws {
    guard fsync(fd) == 0 else { throw IOError.failure("fsync", path: path, errno: errno) }
  }

  static func rename(_ from: String, to: String) throws {
    guard Glibc.rename(from, to) == 0 else { throw IOError.failure("rename to \(to) of", path: from, errno: errno) }
  }

  /// Removes a file; one that is already gone is not an error.
  static func remove(_ path: String) throws {
    guard unlink(path) == 0 || errno == ENOENT else { throw IOError.failure("unlink", path: path, errno: errno) }
  }

  /// Removes a file or folder tree (leftovers in the temporary folder).
  static func removeTree(_ path: String) throws {
    do {
      try FileManager.default.removeItem(atPath: path)
    } catch {
      throw GooseFSError(.ioError, "Cannot remove \(path): \(error.localizedDescription)")
    }
  }

  struct Status {
    var size: Int64
    var isRegularFile: Bool
    var modificationNanoseconds: Int64
  }

  static func status(_ path: String) -> Status? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Status(
      size: Int64(info.st_size), isRegularFile: info.st_mode & S_IFMT == S_IFREG,
      modificationNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
  }

  static func readSmallFile(_ path: String, limit: Int = 64 * 1024) throws -> [UInt8] {
    let fd = try open(path, O_RDONLY)
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: limit)
    let count = try bytes.withUnsafeMutableBytes { try PosixBlockIO.pread(fd, $0, 0) }
    return Array(bytes[..<count])
  }

  /// Writes `contents` to `temporaryPath`, syncs it and renames it to `path`: readers see the old
  /// file or the new one, never a torn one.
  static func writeAtomically(_ contents: [UInt8], temporaryPath: String, path: String, sync syncToDisk: Bool) throws {
    let fd = try open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC)
    do {
      try contents.withUnsafeBytes { bytes in
        var done = 0
        while done < bytes.count {
          let count = try PosixBlockIO.pwrite(fd, UnsafeRawBufferPointer(rebasing: bytes[done...]), Int64(done))
          done += try IOError.progress(count, writing: fd, at: Int64(done))
        }
      }
      if syncToDisk { try sync(fd, path: temporaryPath) }
      close(fd)
      try rename(temporaryPath, to: path)
    } catch {
      close(fd)
      do {
        try remove(temporaryPath)
      } catch {
        // Start-up deletes leftover temporary files; the write's own error is the one to report.
      }
      throw error
    }
  }

  /// Copies a whole file (a block moving between tiers), in the kernel when it can (sendfile
  /// works between regular files on any file systems), else through a buffer.
  static func copy(from source: String, to destination: String, length: Int64, sync syncToDisk: Bool) throws {
    let input = try open(source, O_RDONLY)
    defer { close(input) }
    let output = try open(destination, O_WRONLY | O_CREAT | O_EXCL)
    defer { close(output) }
    var offset: off_t = 0
    var kernelCopy = true
    while offset < off_t(length) {
      if kernelCopy {
        let count = sendfile(output, input, &offset, Int(min(off_t(length) - offset, 1 << 30)))
        if count > 0 { continue }
        if count == 0 { throw GooseFSError(.corrupted, "\(source) is shorter (\(offset) bytes) than its recorded \(length)") }
        if errno == EINTR { continue }
        guard errno == EINVAL || errno == ENOSYS else {
          throw IOError.failure("copy to \(destination) of", path: source, errno: errno)
        }
        kernelCopy = false
      }
      try copyThroughBuffer(input, output, from: &offset, to: off_t(length), source: source)
    }
    if syncToDisk { try sync(output, path: destination) }
  }

  private static func copyThroughBuffer(_ input: Int32, _ output: Int32, from offset: inout off_t, to end: off_t, source: String) throws {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while offset < end {
      let wanted = UnsafeMutableRawBufferPointer(rebasing: buffer[..<Int(min(end - offset, off_t(buffer.count)))])
      let count = try PosixBlockIO.pread(input, wanted, Int64(offset))
      guard count > 0 else { throw GooseFSError(.corrupted, "\(source) is shorter (\(offset) bytes) than its recorded \(end)") }
      var written = 0
      while written < count {
        let part = UnsafeRawBufferPointer(rebasing: wanted[written..<count])
        let n = try PosixBlockIO.pwrite(output, part, Int64(offset) + Int64(written))
        written += try IOError.progress(n, writing: output, at: Int64(offset) + Int64(written))
      }
      offset += off_t(count)
    }
  }

  /// A name no other writer uses: block writers and moves may race for the same block id.
  static func uniqueSuffix() -> String {
    String(UInt64.random(in: 0...UInt64.max), radix: 16)
  }
}
