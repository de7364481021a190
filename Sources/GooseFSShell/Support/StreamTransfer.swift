import Foundation
import GooseFSClient
import GooseFSCore
import NIOCore

/// Moves bytes between client streams and local files in chunks of at most `chunkSize`,
/// so memory stays bounded whatever the file size.
enum StreamTransfer {
  /// Opens `path`, runs `body`, and closes the stream whether or not `body` throws.
  static func withOpenFile<Result>(
    _ path: String, in fileSystem: any DataFileSystem, options: OpenFileOptions = OpenFileOptions(),
    _ body: (any FileInStream) async throws -> Result
  ) async throws -> Result {
    let input = try await fileSystem.openFile(path, options: options)
    do {
      let result = try await body(input)
      await input.close()
      return result
    } catch {
      await input.close()
      throw error
    }
  }

  /// Creates `path`, runs `body` to fill it, and commits it; on any failure the half-written
  /// file is cancelled (removed), so a failed copy never leaves a truncated file behind.
  static func withNewFile<Result>(
    _ path: String, in fileSystem: any DataFileSystem, writeType: WriteType,
    _ body: (any FileOutStream) async throws -> Result
  ) async throws -> Result {
    let output = try await fileSystem.createFileStream(
      path, options: CreateFileOptions(recursive: true), writeType: writeType)
    do {
      let result = try await body(output)
      _ = try await output.close()
      return result
    } catch {
      await output.cancel()
      throw error
    }
  }

  /// Calls `body` with each chunk read sequentially until the end of the file.
  static func forEachChunk(
    of input: any FileInStream, chunkSize: Int, _ body: (ByteBuffer) async throws -> Void
  ) async throws {
    while true {
      let chunk = try await input.read(maxLength: chunkSize)
      if chunk.readableBytes == 0 { return }
      try await body(chunk)
    }
  }

  /// Reads exactly `count` bytes from `position` (fewer only at the end of the file).
  static func read(_ input: any FileInStream, at position: Int64, count: Int) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count {
      let chunk = try await input.pread(at: position + Int64(bytes.count), maxLength: count - bytes.count)
      if chunk.readableBytes == 0 { break }
      bytes += chunk.readableBytesView
    }
    return bytes
  }

  /// Streams a local file into an open GooseFS file; returns the bytes written.
  static func upload(localPath: String, to output: any FileOutStream, chunkSize: Int) async throws -> Int64 {
    let handle = try LocalFiles.openForReading(localPath)
    defer { try? handle.close() }
    var total: Int64 = 0
    while true {
      let data: Data?
      do {
        data = try handle.read(upToCount: chunkSize)
      } catch {
        throw ShellFailure.message("Failed to read file://\(localPath): \(error.localizedDescription)")
      }
      guard let data, !data.isEmpty else { return total }
      try await output.write(ByteBuffer(bytes: data))
      total += Int64(data.count)
    }
  }

  /// Streams a GooseFS file into a local file; returns the bytes written.
  static func download(_ input: any FileInStream, toLocalPath path: String, chunkSize: Int) async throws -> Int64 {
    let handle = try LocalFiles.createForWriting(path)
    defer { try? handle.close() }
    var total: Int64 = 0
    try await forEachChunk(of: input, chunkSize: chunkSize) { chunk in
      do {
        try handle.write(contentsOf: Data(chunk.readableBytesView))
      } catch {
        throw ShellFailure.message("Failed to write file://\(path): \(error.localizedDescription)")
      }
      total += Int64(chunk.readableBytes)
    }
    return total
  }

  /// Copies one GooseFS file into another open GooseFS file; returns the bytes written.
  static func pipe(_ input: any FileInStream, to output: any FileOutStream, chunkSize: Int) async throws -> Int64 {
    var total: Int64 = 0
    try await forEachChunk(of: input, chunkSize: chunkSize) { chunk in
      try await output.write(chunk)
      total += Int64(chunk.readableBytes)
    }
    return total
  }
}
