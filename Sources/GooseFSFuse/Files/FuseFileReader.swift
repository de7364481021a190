import GooseFSClient
import GooseFSCore
import NIOCore

/// Reads of one open handle. The kernel reads a file front to back in most cases: those reads
/// continue the same stream (the worker streams ahead of us); a read elsewhere repositions it.
/// The stream is opened on the first read, so opens that only stat or flush cost nothing.
/// Used only from its handle's job queue, one read at a time.
final class FuseFileReader: @unchecked Sendable {
  private let path: String
  private let fileSystem: any DataFileSystem
  private let identity: CallerIdentity
  private var stream: (any FileInStream)?
  private var position: Int64 = 0

  init(path: String, fileSystem: any DataFileSystem, identity: CallerIdentity) {
    self.path = path
    self.fileSystem = fileSystem
    self.identity = identity
  }

  /// Up to `count` bytes at `offset`; short only at the end of the file.
  func read(at offset: Int64, count: Int) async throws -> ByteBuffer {
    let stream = try await openStream()
    guard offset < stream.info.length, count > 0 else { return ByteBuffer() }
    if offset != position { try stream.seek(to: offset) }
    let wanted = Int(min(Int64(count), stream.info.length - offset))
    var result = try await stream.read(maxLength: wanted)
    while result.readableBytes < wanted {
      var more = try await stream.read(maxLength: wanted - result.readableBytes)
      guard more.readableBytes > 0 else { break }
      result.writeBuffer(&more)
    }
    position = offset + Int64(result.readableBytes)
    return result
  }

  func close() async {
    await stream?.close()
    stream = nil
  }

  private func openStream() async throws -> any FileInStream {
    if let stream { return stream }
    let opened = try await MasterConnection.$actingCaller.withValue(identity) {
      try await fileSystem.openFile(path, options: OpenFileOptions())
    }
    stream = opened
    position = 0
    return opened
  }
}
