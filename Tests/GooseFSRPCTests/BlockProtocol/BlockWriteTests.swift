import GooseFSCore
import NIOCore
import Synchronization
import XCTest

@testable import GooseFSRPC

/// WRITE_BLOCK, WRITE_UFS_FILE and the request→ACK calls over a real loopback connection.
final class BlockWriteTests: XCTestCase {
  /// What the test worker saw of one write.
  struct ReceivedWrite: Sendable {
    var op: BlockOp
    var blockID: Int64
    var request: ByteBuffer
    var bytes: ByteBuffer
    var largestFrame: Int
  }

  /// Receives DATA…END exchanges, checking offsets like a worker would, and answers with `answer`.
  static func receivingWorker(
    into log: Shared<[ReceivedWrite]>,
    answer: @escaping @Sendable (ReceivedWrite, BlockServerConnection) async throws -> Void
  ) -> BlockDataServer.Handler {
    { connection in
      while let request = try await connection.nextFrame() {
        var write = ReceivedWrite(
          op: request.op, blockID: request.header.blockID, request: request.payload,
          bytes: ByteBufferAllocator().buffer(capacity: 0), largestFrame: 0)
        guard request.op == .writeBlock || request.op == .writeUfsFile else {
          try await answer(write, connection)
          continue
        }
        receiving: while let frame = try await connection.nextFrame() {
          switch frame.op {
          case .data:
            guard frame.header.offset == Int64(write.bytes.readableBytes) else {
              throw GooseFSError(.invalidArgument, "DATA at \(frame.header.offset), expected \(write.bytes.readableBytes)")
            }
            var payload = frame.payload
            write.largestFrame = max(write.largestFrame, payload.readableBytes)
            write.bytes.writeBuffer(&payload)
          case .end:
            guard frame.header.length == Int64(write.bytes.readableBytes) else {
              throw GooseFSError(.invalidArgument, "END says \(frame.header.length)")
            }
            break receiving
          default:
            throw GooseFSError(.invalidArgument, "unexpected \(frame.op)")
          }
        }
        let received = write
        log.update { $0.append(received) }
        try await answer(received, connection)
      }
    }
  }

  func testWriteBlockRoundTripSplitsIntoChunksWithoutLosingBytes() async throws {
    let log = Shared<[ReceivedWrite]>([])
    let worker = Self.receivingWorker(into: log) { _, connection in
      try await connection.sendAck(payload: nil)
    }
    let pieces = [BlockTestSupport.pattern(size: 3 << 20), ByteBuffer(bytes: [42]), BlockTestSupport.pattern(size: 2_500_000, seed: 3)]
    try await BlockTestSupport.withServer(handler: worker) { server in
      let connection = try await BlockTestSupport.connect(server)
      var request = Goosefs_Block_WriteBlockRequest()
      request.tierAlias = "MEM"
      request.expectedLength = -1
      let session = try await connection.writeBlock(blockID: 77, request: request)
      for piece in pieces { try await session.send(piece) }
      let ack = try await session.finish()
      XCTAssertEqual(ack.readableBytes, 0)
      XCTAssertTrue(connection.isReusable)

      let writes = log.value
      XCTAssertEqual(writes.count, 1)
      var expected = ByteBufferAllocator().buffer(capacity: 6 << 20)
      for var piece in pieces { expected.writeBuffer(&piece) }
      XCTAssertEqual(writes[0].op, .writeBlock)
      XCTAssertEqual(writes[0].blockID, 77)
      XCTAssertEqual(try Goosefs_Block_WriteBlockRequest(serializedBytes: Array(writes[0].request.readableBytesView)), request)
      XCTAssertEqual(writes[0].bytes, expected)
      XCTAssertEqual(writes[0].largestFrame, 1 << 20, "DATA frames carry at most the chunk size")
      XCTAssertEqual(session.bytesSent, Int64(expected.readableBytes))
      await connection.close()
    }
  }

  func testWriteUfsFileReturnsTheWorkersResponse() async throws {
    let log = Shared<[ReceivedWrite]>([])
    let worker = Self.receivingWorker(into: log) { write, connection in
      var response = Goosefs_Block_WriteUfsFileResponse()
      response.ufsFingerprint = "len=\(write.bytes.readableBytes)"
      response.length = Int64(write.bytes.readableBytes)
      response.cachedBlockIds = [write.blockID, write.blockID + 1]
      try await connection.sendAck(payload: response)
    }
    try await BlockTestSupport.withServer(handler: worker) { server in
      let connection = try await BlockTestSupport.connect(server)
      var request = Goosefs_Block_WriteUfsFileRequest()
      request.ufsPath = "/data/file"
      request.firstBlockID = 1000
      let session = try await connection.writeUfsFile(request: request)
      try await session.send(BlockTestSupport.pattern(size: 1_500_000))
      let response = try await session.finish(as: Goosefs_Block_WriteUfsFileResponse.self)
      XCTAssertEqual(response.length, 1_500_000)
      XCTAssertEqual(response.ufsFingerprint, "len=1500000")
      XCTAssertEqual(response.cachedBlockIds, [1000, 1001])
      XCTAssertEqual(log.value.first?.op, .writeUfsFile)
      await connection.close()
    }
  }

  func testWorkerRefusingAWriteEarlySurfacesItsError() async throws {
    let worker: BlockDataServer.Handler = { connection in
      guard try await connection.nextFrame() != nil else { return }
      try await connection.sendError(GooseFSError(.resourceExhausted, "No space left in tier MEM for block 5"))
      // Like a worker that gives up on the connection: stop reading, close after the ERROR.
    }
    try await BlockTestSupport.withServer(handler: worker) { server in
      let connection = try await BlockTestSupport.connect(server)
      let session = try await connection.writeBlock(blockID: 5, request: Goosefs_Block_WriteBlockRequest())
      let chunk = BlockTestSupport.pattern(size: 1 << 20)
      do {
        // The ERROR arrives while the client is still sending; a bounded number of sends must see it.
        for _ in 0..<1000 { try await session.send(chunk) }
        _ = try await session.finish()
        XCTFail("the write should have been refused")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .resourceExhausted, containing: "No space left")
      }
      XCTAssertFalse(connection.isReusable)
    }
  }

  func testErrorAnswerAfterEndKeepsConnectionUsable() async throws {
    let log = Shared<[ReceivedWrite]>([])
    let worker = Self.receivingWorker(into: log) { write, connection in
      if write.blockID == 1 {
        try await connection.sendError(GooseFSError(.alreadyExists, "Block 1 already exists"))
      } else {
        try await connection.sendAck(payload: nil)
      }
    }
    try await BlockTestSupport.withServer(handler: worker) { server in
      let connection = try await BlockTestSupport.connect(server)
      let first = try await connection.writeBlock(blockID: 1, request: Goosefs_Block_WriteBlockRequest())
      try await first.send(ByteBuffer(repeating: 1, count: 10))
      do {
        _ = try await first.finish()
        XCTFail("expected alreadyExists")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .alreadyExists)
      }
      XCTAssertTrue(connection.isReusable)
      let second = try await connection.writeBlock(blockID: 2, request: Goosefs_Block_WriteBlockRequest())
      try await second.send(ByteBuffer(repeating: 2, count: 10))
      _ = try await second.finish()
      XCTAssertEqual(log.value.map(\.blockID), [1, 2])
      await connection.close()
    }
  }

  func testAbortClosesTheConnection() async throws {
    let ended = Mutex(false)
    let worker: BlockDataServer.Handler = { connection in
      while let frame = try await connection.nextFrame() { _ = frame }
      ended.withLock { $0 = true }
    }
    try await BlockTestSupport.withServer(handler: worker) { server in
      let connection = try await BlockTestSupport.connect(server)
      let session = try await connection.writeBlock(blockID: 3, request: Goosefs_Block_WriteBlockRequest())
      try await session.send(ByteBuffer(repeating: 1, count: 100))
      await session.abort()
      XCTAssertFalse(connection.isReusable)
      do {
        try await session.send(ByteBuffer(repeating: 1, count: 1))
        XCTFail("an aborted session refuses data")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .failedPrecondition)
      }
    }
    XCTAssertTrue(ended.withLock { $0 }, "the worker saw the connection end")
  }

  func testCallsAreAnsweredWithAckOrError() async throws {
    let worker: BlockDataServer.Handler = { connection in
      while let frame = try await connection.nextFrame() {
        switch frame.op {
        case .cacheBlock:
          let request = try frame.message(as: Goosefs_Block_CacheBlockRequest.self)
          if request.ufs.ufsPath.isEmpty {
            try await connection.sendError(GooseFSError(.notFound, "Block \(frame.header.blockID) has no under-store source"))
          } else {
            try await connection.sendAck(payload: nil)
          }
        case .openLocal:
          var response = Goosefs_Block_OpenLocalBlockResponse()
          response.path = "/dev/shm/goosefsworker/\(frame.header.blockID)"
          response.length = 4096
          response.tierAlias = "MEM"
          try await connection.sendAck(payload: response)
        case .closeLocal:
          try await connection.sendAck(payload: nil)
        default:
          try await connection.sendError(GooseFSError(.unimplemented, "\(frame.op)"))
        }
      }
    }
    try await BlockTestSupport.withServer(handler: worker) { server in
      let connection = try await BlockTestSupport.connect(server)
      var cache = Goosefs_Block_CacheBlockRequest()
      cache.ufs.ufsPath = "/bucket/file"
      let ack = try await connection.call(op: .cacheBlock, blockID: 8, request: cache)
      XCTAssertEqual(ack.readableBytes, 0)
      do {
        _ = try await connection.call(op: .cacheBlock, blockID: 9, request: Goosefs_Block_CacheBlockRequest())
        XCTFail("expected notFound")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .notFound, containing: "Block 9")
      }
      let opened = try await connection.call(
        op: .openLocal, blockID: 10, request: Goosefs_Block_OpenLocalBlockRequest(),
        as: Goosefs_Block_OpenLocalBlockResponse.self)
      XCTAssertEqual(opened.path, "/dev/shm/goosefsworker/10")
      XCTAssertEqual(opened.length, 4096)
      _ = try await connection.call(op: .closeLocal, blockID: 10)
      XCTAssertTrue(connection.isReusable)
      XCTAssertEqual(server.connectionCount, 1, "every call used the one connection")
      do {
        _ = try await connection.call(op: .read, blockID: 1)
        XCTFail("READ is not a call")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .invalidArgument)
      }
      await connection.close()
    }
  }
}
