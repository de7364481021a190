import Foundation
import GooseFSCore
import NIOCore
import NIOPosix
import Synchronization
import XCTest

@testable import GooseFSRPC

/// Shared by the block protocol tests: a real server on 127.0.0.1 (port 0), test data, temp files.
enum BlockTestSupport {
  static var group: any EventLoopGroup { MultiThreadedEventLoopGroup.singleton }

  /// Runs `body` against a server running `handler`; the server is closed gracefully afterwards
  /// and its `run` must then return (a hanging run fails the test by timeout of the test runner).
  static func withServer<Result: Sendable>(
    group: any EventLoopGroup = BlockTestSupport.group,
    configuration: BlockProtocolConfiguration = BlockProtocolConfiguration(), maxConnections: Int = 1024,
    handler: @escaping BlockDataServer.Handler,
    _ body: (BlockDataServer) async throws -> Result
  ) async throws -> Result {
    let server = try await BlockDataServer.bind(
      host: "127.0.0.1", port: 0, group: group, configuration: configuration, maxConnections: maxConnections,
      handler: handler)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      do {
        let result = try await body(server)
        await server.close()
        try await group.waitForAll()
        return result
      } catch {
        await server.close()
        group.cancelAll()
        throw error
      }
    }
  }

  static func connect(
    _ server: BlockDataServer, group: any EventLoopGroup = BlockTestSupport.group, idleTimeout: TimeAmount = .seconds(30),
    configuration: BlockProtocolConfiguration = BlockProtocolConfiguration()
  ) async throws -> BlockDataConnection {
    try await BlockDataConnection.connect(
      host: "127.0.0.1", port: server.port, group: group, idleTimeout: idleTimeout, configuration: configuration)
  }

  /// `size` bytes where every 8-byte word holds its own position mixed with `seed`, so a chunk
  /// delivered at the wrong offset, twice, or not at all never compares equal.
  static func pattern(size: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> ByteBuffer {
    var buffer = ByteBufferAllocator().buffer(capacity: size)
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
      let words = size / 8
      let typed = raw.bindMemory(to: UInt64.self)
      for index in 0..<words { typed[index] = (UInt64(index) &* seed) ^ UInt64(index) }
      for tail in (words * 8)..<size { raw[tail] = UInt8(truncatingIfNeeded: tail) }
      return size
    }
    return buffer
  }

  /// Writes `contents` to a new file under `directory` and returns its path.
  static func temporaryFile(_ contents: ByteBuffer, directory: String = NSTemporaryDirectory()) throws -> String {
    let path = (directory as NSString).appendingPathComponent("goosefs-block-\(UUID().uuidString)")
    let data = contents.withUnsafeReadableBytes { Data($0) }
    guard FileManager.default.createFile(atPath: path, contents: data) else {
      throw GooseFSError(.ioError, "cannot create \(path)")
    }
    return path
  }

  /// Reads a whole stream into one buffer.
  static func collect(_ stream: BlockReadStream) async throws -> ByteBuffer {
    var all = ByteBufferAllocator().buffer(capacity: Int(stream.requestedLength))
    for try await var chunk in stream { all.writeBuffer(&chunk) }
    return all
  }

  /// Polls `condition` with short pauses until it holds, failing after 10 s.
  static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while try await !condition() {
      guard ContinuousClock.now < deadline else {
        throw GooseFSError(.deadlineExceeded, "timed out waiting until \(what)")
      }
      try await Task.sleep(for: .milliseconds(1))
    }
  }

  static func assertGooseFSError(
    _ error: any Error, _ code: GooseFSError.Code, containing text: String? = nil,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    guard let error = error as? GooseFSError else {
      XCTFail("expected GooseFSError(.\(code)), got \(error)", file: file, line: line)
      return
    }
    XCTAssertEqual(error.code, code, "\(error.message)", file: file, line: line)
    if let text {
      XCTAssertTrue(error.message.contains(text), "\"\(error.message)\" does not mention \"\(text)\"", file: file, line: line)
    }
  }
}

/// Request handlers for the test server, written the way a worker would.
enum TestWorker {
  enum Source: Sendable {
    /// A block in memory, held as 1 MiB buffers as a worker reading a block file would hold it
    /// (slicing one 64 MiB buffer would copy: NIO copies slices that start past 16 MiB).
    case buffers([ByteBuffer])
    case file(path: String, length: Int)

    static let pieceSize = 1 << 20

    static func memory(_ block: ByteBuffer) -> Source {
      var rest = block
      var pieces: [ByteBuffer] = []
      while rest.readableBytes > 0 {
        var piece = ByteBufferAllocator().buffer(capacity: pieceSize)
        var slice = rest.readSlice(length: min(pieceSize, rest.readableBytes))!
        piece.writeBuffer(&slice)
        pieces.append(piece)
      }
      return .buffers(pieces)
    }

    var length: Int {
      switch self {
      case .buffers(let pieces): pieces.reduce(0) { $0 + $1.readableBytes }
      case .file(_, let length): length
      }
    }
  }

  /// Serves every READ from `source` (block ids are ignored), a chunk at a time so CANCEL is
  /// noticed; answers other requests with ERROR(.unimplemented).
  static func reads(from source: Source) -> BlockDataServer.Handler {
    { connection in
      while let frame = try await connection.nextFrame() {
        guard frame.op == .read else {
          try await connection.sendError(GooseFSError(.unimplemented, "test worker serves only READ"))
          continue
        }
        try await serveRead(frame.header, from: source, on: connection)
      }
    }
  }

  static func serveRead(_ request: BlockFrameHeader, from source: Source, on connection: BlockServerConnection)
    async throws
  {
    let start = Int(request.offset)
    let end = min(source.length, start + Int(request.length))
    let file: BlockSendFile?
    if case .file(let path, _) = source { file = try BlockSendFile(path: path) } else { file = nil }
    var position = start
    while position < end, !connection.isCancelRequested {
      var size = min(connection.configuration.chunkSize, end - position)
      switch source {
      case .buffers(let pieces):
        let within = position % Source.pieceSize
        size = min(size, Source.pieceSize - within)
        try await connection.sendData(
          blockID: request.blockID, offset: Int64(position),
          buffer: pieces[position / Source.pieceSize].getSlice(at: within, length: size)!)
      case .file:
        try await connection.sendFileRegion(
          blockID: request.blockID, offset: Int64(position), file: file!, fileOffset: position, length: size)
      }
      position += size
    }
    try await connection.sendEnd(blockID: request.blockID, total: Int64(position - start))
  }
}

/// A value shared between a test and its server handler (Mutex itself can't be passed around).
final class Shared<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>

  init(_ value: Value) {
    mutex = Mutex(value)
  }

  var value: Value { mutex.withLock { $0 } }

  func update<Result>(_ body: (inout Value) -> Result) -> Result {
    mutex.withLock { body(&$0) }
  }
}
