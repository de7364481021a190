import GooseFSCore

/// Reads and writes block files at explicit offsets (never the file position, so one descriptor can
/// serve several readers at once).
///
/// Every engine keeps blocking syscalls off the Swift cooperative pool: the async calls suspend the
/// caller and complete from the engine's own threads (io_uring's completion thread, or the POSIX
/// engine's worker threads). The `…Blocking` forms are for callers that already run on a dedicated
/// thread (block writers, tier moves) and for tests.
///
/// Counts follow pread/pwrite: a read returns fewer bytes than asked at end of file (0 at or past
/// it), or when asked for more than 1 GiB at once; use `readFully`/`writeFully` to loop. Failures are `GooseFSError(.ioError)` naming the
/// descriptor and offset; callers add the block and directory.
///
/// Buffers must stay valid until the call returns. The engines accept O_DIRECT descriptors: the
/// caller is then responsible for alignment (see `DirectIO`).
public protocol BlockFileIO: Sendable {
  /// "io_uring" or "posix", for logs and metrics.
  var engineName: String { get }

  func read(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) async throws -> Int
  func write(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) async throws -> Int

  func readBlocking(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
  func writeBlocking(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) throws -> Int

  /// Stops the engine's threads once in-flight operations have completed. Later calls fail with
  /// `unavailable`. Idempotent.
  func shutdown()
}

extension BlockFileIO {
  /// Reads until `buffer` is full or end of file; returns the bytes read.
  public func readFully(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) async throws -> Int {
    var done = 0
    while done < buffer.count {
      let count = try await read(fd: fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      if count == 0 { break }
      done += count
    }
    return done
  }

  /// Writes all of `buffer`; a regular file only writes short when its disk is full, which then
  /// fails on the next attempt with ENOSPC.
  public func writeFully(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) async throws {
    var done = 0
    while done < buffer.count {
      let count = try await write(fd: fd, from: UnsafeRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      done += try IOError.progress(count, writing: fd, at: offset + Int64(done))
    }
  }

  public func readFullyBlocking(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
    var done = 0
    while done < buffer.count {
      let count = try readBlocking(fd: fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      if count == 0 { break }
      done += count
    }
    return done
  }

  public func writeFullyBlocking(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) throws {
    var done = 0
    while done < buffer.count {
      let count = try writeBlocking(fd: fd, from: UnsafeRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      done += try IOError.progress(count, writing: fd, at: offset + Int64(done))
    }
  }
}
