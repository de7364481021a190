import Foundation
import Glibc
import GooseFSCore
import Testing

@testable import GooseFSWorker

/// Both engines must behave exactly like pread/pwrite. Their calls block, so async tests make
/// them on an I/O executor, as the store does.
@Suite(.timeLimit(.minutes(2))) struct BlockFileIOTests {
  enum Engine: String, CaseIterable, CustomStringConvertible {
    case posix
    case ioURing
    var description: String { rawValue }

    func make() throws -> any BlockFileIO {
      switch self {
      case .posix: return PosixBlockIO()
      case .ioURing: return try IOURingBlockIO(queueDepth: 8, logger: quietLogger)
      }
    }
  }

  static func openFile(_ path: String, _ flags: Int32 = O_RDWR | O_CREAT) throws -> Int32 {
    let fd = open(path, flags, 0o644)
    try #require(fd >= 0, "open \(path): errno \(errno)")
    return fd
  }

  @Test(arguments: Engine.allCases)
  func writesAndReadsAtRandomOffsets(engine: Engine) async throws {
    let io = try engine.make()
    defer { io.shutdown() }
    try await withTemporaryFolder { folder in
      let fd = try Self.openFile(folder + "/file")
      defer { close(fd) }
      var model = [UInt8](repeating: 0, count: 300_000)
      var generator = SystemRandomNumberGenerator()
      for round in 0..<60 {
        let offset = Int.random(in: 0..<(model.count - 20_000), using: &generator)
        let length = Int.random(in: 1...20_000, using: &generator)
        let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ round) }
        try await testIOExecutor.run { try data.withUnsafeBytes { try io.writeFully(fd: fd, from: $0, at: Int64(offset)) } }
        model.replaceSubrange(offset..<(offset + length), with: data)
      }
      let fileLength = Int(lseek(fd, 0, SEEK_END))
      for _ in 0..<60 {
        let offset = Int.random(in: 0..<fileLength, using: &generator)
        let length = Int.random(in: 1...30_000, using: &generator)
        let (count, bytes) = try await testIOExecutor.run { () throws -> (Int, [UInt8]) in
          var bytes = [UInt8](repeating: 0, count: length)
          let count = try bytes.withUnsafeMutableBytes { try io.readFully(fd: fd, into: $0, at: Int64(offset)) }
          return (count, bytes)
        }
        let expected = min(length, fileLength - offset)
        #expect(count == expected)
        #expect(Array(bytes[0..<count]) == Array(model[offset..<(offset + expected)]))
      }
    }
  }

  @Test(arguments: Engine.allCases)
  func shortReadsAtEndOfFile(engine: Engine) throws {
    let io = try engine.make()
    defer { io.shutdown() }
    try withTemporaryFolder { folder in
      let fd = try Self.openFile(folder + "/file")
      defer { close(fd) }
      let data = blockBytes(1, 10_000)
      try data.withUnsafeBytes { try io.writeFully(fd: fd, from: $0, at: 0) }
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
      defer { buffer.deallocate() }
      // Straddling the end: only what exists.
      #expect(try io.read(fd: fd, into: buffer, at: 9_000) == 1_000)
      #expect(Array(buffer[0..<1_000]) == Array(data[9_000...]))
      // At and past the end: zero, not an error.
      #expect(try io.read(fd: fd, into: buffer, at: 10_000) == 0)
      #expect(try io.read(fd: fd, into: buffer, at: 1 << 40) == 0)
    }
  }

  @Test(arguments: Engine.allCases)
  func failuresNameTheDescriptorAndErrno(engine: Engine) throws {
    let io = try engine.make()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 16)
    defer { buffer.deallocate() }
    let error = #expect(throws: GooseFSError.self) { try io.read(fd: 9999, into: buffer, at: 128) }
    #expect(error?.code == .ioError)
    #expect(error?.message.contains("EBADF") == true)
    #expect(error?.message.contains("offset 128 of fd 9999") == true)

    io.shutdown()
    if engine == .ioURing {
      // The ring's completion thread is gone: a call fails instead of waiting forever.
      let afterShutdown = #expect(throws: GooseFSError.self) { try io.read(fd: 0, into: buffer, at: 0) }
      #expect(afterShutdown?.code == .unavailable)
    }
  }

  /// Many tasks read different ranges at once through the executor's threads; every answer lands
  /// in the right buffer.
  @Test(arguments: Engine.allCases)
  func concurrentReadsFromManyTasks(engine: Engine) async throws {
    let io = try engine.make()  // queue depth 8 < 400 reads in flight: exercises the pending queue
    defer { io.shutdown() }
    try await withTemporaryFolder { folder in
      let fd = try Self.openFile(folder + "/file")
      defer { close(fd) }
      let data = blockBytes(7, 1 << 20)
      try await testIOExecutor.run { try data.withUnsafeBytes { try io.writeFully(fd: fd, from: $0, at: 0) } }
      let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
        for task in 0..<8 {
          group.addTask {
            var bad = 0
            await withTaskGroup(of: Bool.self) { reads in
              for index in 0..<50 {
                reads.addTask {
                  let offset = ((task * 50 + index) * 2_609) % (data.count - 8192)
                  let read = try? await testIOExecutor.run { () throws -> [UInt8] in
                    var bytes = [UInt8](repeating: 0, count: 8192)
                    let count = try bytes.withUnsafeMutableBytes { try io.read(fd: fd, into: $0, at: Int64(offset)) }
                    return Array(bytes[0..<count])
                  }
                  return read?.elementsEqual(data[offset..<(offset + 8192)]) == true
                }
              }
              for await ok in reads where !ok { bad += 1 }
            }
            return bad
          }
        }
        return try await group.reduce(0, +)
      }
      #expect(mismatches == 0)
    }
  }

  /// O_DIRECT descriptors work with aligned buffers (on a file system that supports them; tmpfs
  /// does not, which is why the MEM tier never uses it).
  @Test(arguments: Engine.allCases)
  func directIOWithAlignedBuffers(engine: Engine) throws {
    let io = try engine.make()
    defer { io.shutdown() }
    try withTemporaryFolder(base: "/var/tmp") { folder in
      let fd = open(folder + "/direct", O_RDWR | O_CREAT | DirectIO.openFlag, 0o644)
      guard fd >= 0 else {
        #expect(errno == EINVAL, "only a file system without O_DIRECT may refuse it")
        return
      }
      defer { close(fd) }
      #expect(DirectIO.isEnabled(fd: fd))
      let length = 64 * 1024
      let source = DirectIO.allocate(byteCount: length)
      defer { source.deallocate() }
      for index in 0..<length { source[index] = UInt8(truncatingIfNeeded: index / 3) }
      #expect(DirectIO.isAligned(UnsafeRawBufferPointer(source), offset: 8192))
      try io.writeFully(fd: fd, from: UnsafeRawBufferPointer(source), at: 8192)
      let target = DirectIO.allocate(byteCount: length)
      defer { target.deallocate() }
      #expect(try io.readFully(fd: fd, into: target, at: 8192) == length)
      #expect(target.elementsEqual(source))
      // Unaligned offsets are refused by the kernel with O_DIRECT: the reason the writer turns it off.
      #expect(!DirectIO.isAligned(UnsafeRawBufferPointer(source), offset: 100))
      try DirectIO.setEnabled(false, fd: fd)
      #expect(!DirectIO.isEnabled(fd: fd))
    }
  }
}
