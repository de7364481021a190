import GooseFSCore

/// Reads and writes block files at explicit offsets (never the file position, so one descriptor can
/// serve several readers at once): pread/pwrite, or the same operations through io_uring.
///
/// Every call blocks its thread until the operation completed, so every call is `noasync`: the
/// store makes them on its I/O executor (`BlockIOExecutor`), which is the one place the worker's
/// async code reaches disk through.
///
/// Counts follow pread/pwrite: a read returns fewer bytes than asked at end of file (0 at or past
/// it), or when asked for more than 1 GiB at once; use `readFully`/`writeFully` to loop. Failures
/// are `GooseFSError(.ioError)` naming the descriptor and offset; callers add the block and
/// directory.
///
/// Buffers must stay valid until the call returns. The engines accept O_DIRECT descriptors: the
/// caller is then responsible for alignment (see `DirectIO`).
public protocol BlockFileIO: Sendable {
  /// "io_uring" or "pread/pwrite", for logs and metrics.
  var engineName: String { get }

  @available(*, noasync, message: "blocks the thread: call it on the store's I/O executor")
  func read(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
  @available(*, noasync, message: "blocks the thread: call it on the store's I/O executor")
  func write(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) throws -> Int

  /// Stops the engine (the io_uring completion thread) once in-flight operations have completed.
  /// Later calls fail with `unavailable`. Idempotent.
  func shutdown()
}

extension BlockFileIO {
  /// Reads until `buffer` is full or end of file; returns the bytes read.
  @available(*, noasync, message: "blocks the thread: call it on the store's I/O executor")
  public func readFully(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
    var done = 0
    while done < buffer.count {
      let count = try read(fd: fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      if count == 0 { break }
      done += count
    }
    return done
  }

  /// Writes all of `buffer`; a regular file only writes short when its disk is full, which then
  /// fails on the next attempt with ENOSPC.
  @available(*, noasync, message: "blocks the thread: call it on the store's I/O executor")
  public func writeFully(fd: Int32, from buffer: UnsafeRawBufferPointer, at offset: Int64) throws {
    var done = 0
    while done < buffer.count {
      let count = try write(fd: fd, from: UnsafeRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      done += try IOError.progress(count, writing: fd, at: offset + Int64(done))
    }
  }
}
