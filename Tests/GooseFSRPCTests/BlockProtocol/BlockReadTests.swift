import Foundation
import GooseFSCore
import NIOCore
import Synchronization
import XCTest

@testable import GooseFSRPC

/// READ over a real loopback connection.
final class BlockReadTests: XCTestCase {
  private let size = 64 << 20

  func testRead64MiBFromByteBufferInOneMiBFrames() async throws {
    let block = BlockTestSupport.pattern(size: size)
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let connection = try await BlockTestSupport.connect(server)
      let stream = try await connection.read(blockID: 1, offset: 0, length: Int64(size))
      var received = ByteBufferAllocator().buffer(capacity: size)
      var chunks = 0
      for try await var chunk in stream {
        XCTAssertLessThanOrEqual(chunk.readableBytes, 1 << 20, "a chunk is at most one DATA frame's payload")
        chunks += 1
        received.writeBuffer(&chunk)
      }
      XCTAssertGreaterThanOrEqual(chunks, 64)
      XCTAssertEqual(received, block)
      XCTAssertEqual(stream.bytesReceived, Int64(size))
      XCTAssertTrue(connection.isReusable)
      await connection.close()
    }
  }

  func testRead64MiBFromFileRegion() async throws {
    let block = BlockTestSupport.pattern(size: size, seed: 7)
    let path = try BlockTestSupport.temporaryFile(block)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .file(path: path, length: size))) { server in
      let connection = try await BlockTestSupport.connect(server)
      let all = try await BlockTestSupport.collect(try await connection.read(blockID: 2, offset: 0, length: Int64(size)))
      XCTAssertEqual(all, block)
      // A range in the middle, on the same connection.
      let part = try await BlockTestSupport.collect(
        try await connection.read(blockID: 2, offset: 3_000_001, length: 5_000_000))
      XCTAssertEqual(part, block.getSlice(at: 3_000_001, length: 5_000_000))
      await connection.close()
    }
  }

  func testShortBlockEndsWhereEndSays() async throws {
    let block = BlockTestSupport.pattern(size: 3 << 20)
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let connection = try await BlockTestSupport.connect(server)
      let stream = try await connection.read(blockID: 1, offset: 1 << 20, length: 10 << 20)
      let all = try await BlockTestSupport.collect(stream)
      XCTAssertEqual(all, block.getSlice(at: 1 << 20, length: 2 << 20))
      XCTAssertTrue(stream.isFinished)
      XCTAssertTrue(connection.isReusable)
      await connection.close()
    }
  }

  func testErrorMidStreamSurfacesAsTheWorkersError() async throws {
    let handler: BlockDataServer.Handler = { connection in
      while let frame = try await connection.nextFrame() {
        if frame.op == .read && frame.header.blockID == 13 {
          for index in 0..<3 {
            try await connection.sendData(
              blockID: 13, offset: Int64(index) << 20, buffer: ByteBuffer(repeating: UInt8(index), count: 1 << 20))
          }
          try await connection.sendError(GooseFSError(.corrupted, "Block 13 failed its checksum at 3 MiB"))
        } else {
          try await connection.sendAck(payload: nil)
        }
      }
    }
    try await BlockTestSupport.withServer(handler: handler) { server in
      let connection = try await BlockTestSupport.connect(server)
      let stream = try await connection.read(blockID: 13, offset: 0, length: 8 << 20)
      var bytes = 0
      do {
        for try await chunk in stream { bytes += chunk.readableBytes }
        XCTFail("the read should fail")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .corrupted, containing: "Block 13 failed its checksum")
      }
      XCTAssertEqual(bytes, 3 << 20, "the data before the ERROR is delivered")
      // An ERROR ends the exchange cleanly: the connection serves the next request.
      XCTAssertTrue(connection.isReusable)
      _ = try await connection.call(op: .closeLocal, blockID: 13)
      await connection.close()
    }
  }

  /// A worker that misbehaves in one scripted way per block id.
  private static let misbehavingWorker: BlockDataServer.Handler = { connection in
    while let frame = try await connection.nextFrame() {
      let id = frame.header.blockID
      let chunk = ByteBuffer(repeating: 1, count: 1000)
      switch id {
      case 1:  // gap: the second frame skips a byte
        try await connection.sendData(blockID: id, offset: 0, buffer: chunk)
        try await connection.sendData(blockID: id, offset: 1001, buffer: chunk)
      case 2:  // overlap
        try await connection.sendData(blockID: id, offset: 0, buffer: chunk)
        try await connection.sendData(blockID: id, offset: 999, buffer: chunk)
      case 3:  // END's total disagrees with the bytes sent
        try await connection.sendData(blockID: id, offset: 0, buffer: chunk)
        try await connection.sendEnd(blockID: id, total: 5000)
      case 4:  // more than requested
        try await connection.sendData(blockID: id, offset: 0, buffer: ByteBuffer(repeating: 1, count: 3000))
      default:  // DATA for another block
        try await connection.sendData(blockID: id + 1, offset: 0, buffer: chunk)
      }
      try await connection.sendEnd(blockID: id, total: 1000)
    }
  }

  func testOutOfSequenceDataIsAProtocolViolationAndClosesTheConnection() async throws {
    let cases: [(Int64, String)] = [
      (1, "a gap"), (2, "an overlap"), (3, "reports 5000 bytes but 1000 arrived"), (4, "more than the 2000 bytes"),
      (5, "DATA for block 6"),
    ]
    try await BlockTestSupport.withServer(handler: Self.misbehavingWorker) { server in
      for (blockID, expected) in cases {
        let connection = try await BlockTestSupport.connect(server)
        do {
          _ = try await BlockTestSupport.collect(try await connection.read(blockID: blockID, offset: 0, length: 2000))
          XCTFail("block \(blockID): the read should fail")
        } catch {
          BlockTestSupport.assertGooseFSError(error, .invalidArgument, containing: expected)
        }
        XCTAssertFalse(connection.isReusable, "block \(blockID): a connection that broke the protocol is not reused")
        await connection.close()
      }
    }
  }

  func testCancelStopsTheWorkerAndKeepsTheConnectionUsable() async throws {
    // The block is far larger than what can be in flight (NIO's outbound buffer, loopback socket
    // buffers that auto-tune up to tcp_rmem's maximum — 32 MiB here — and the client's inbound
    // queue), so the worker can only stop early by seeing the CANCEL. A 64 MiB block could be
    // entirely sent before the CANCEL arrived on a loaded machine.
    let blockSize: Int64 = 4 << 30
    let period = 1 << 20
    let onePeriod = BlockTestSupport.pattern(size: period)
    var doubled = onePeriod
    doubled.writeImmutableBuffer(onePeriod)
    let twoPeriods = doubled
    // Bytes [position, position + length) of the block, whose content repeats every `period` bytes.
    let bytes: @Sendable (Int, Int) -> ByteBuffer = { position, length in
      twoPeriods.getSlice(at: position % period, length: length)!
    }
    let sentBeforeCancel = Mutex<Int64>(-1)
    let handler: BlockDataServer.Handler = { connection in
      while let frame = try await connection.nextFrame() {
        let request = frame.header
        var position = Int(request.offset)
        let end = Int(request.offset + request.length)
        while position < end, !connection.isCancelRequested {
          let size = min(period, end - position)
          try await connection.sendData(blockID: request.blockID, offset: Int64(position), buffer: bytes(position, size))
          position += size
        }
        if connection.isCancelRequested { sentBeforeCancel.withLock { $0 = Int64(position) } }
        try await connection.sendEnd(blockID: request.blockID, total: Int64(position) - request.offset)
      }
    }
    try await BlockTestSupport.withServer(handler: handler) { server in
      let connection = try await BlockTestSupport.connect(server)
      let stream = try await connection.read(blockID: 1, offset: 0, length: blockSize)
      var iterator = stream.makeAsyncIterator()
      for _ in 0..<2 { _ = try await iterator.next() }
      await stream.cancel()
      XCTAssertTrue(connection.isReusable, "a drained cancel leaves the connection usable")
      let stoppedAt = sentBeforeCancel.withLock { $0 }
      XCTAssertGreaterThan(stoppedAt, 0, "the worker saw the CANCEL")
      XCTAssertLessThan(stoppedAt, blockSize, "the worker stopped before the end of the block")
      // The next read on the same connection gets exactly its own bytes.
      let next = try await BlockTestSupport.collect(try await connection.read(blockID: 1, offset: 5, length: 3 << 20))
      var expected = ByteBufferAllocator().buffer(capacity: 3 << 20)
      var position = 5
      while position < 5 + (3 << 20) {
        let length = min(period - position % period, 5 + (3 << 20) - position)
        expected.writeImmutableBuffer(bytes(position, length))
        position += length
      }
      XCTAssertEqual(next, expected)
      await connection.close()
    }
  }

  func testCancelAfterEndSendsNothing() async throws {
    let block = BlockTestSupport.pattern(size: 1 << 20)
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let connection = try await BlockTestSupport.connect(server)
      let stream = try await connection.read(blockID: 1, offset: 0, length: 1 << 20)
      _ = try await BlockTestSupport.collect(stream)
      await stream.cancel()
      XCTAssertTrue(connection.isReusable)
      let again = try await BlockTestSupport.collect(try await connection.read(blockID: 1, offset: 0, length: 1 << 20))
      XCTAssertEqual(again, block)
      await connection.close()
    }
  }

  /// A CANCEL that crosses the read's END on the wire reaches the worker after the read is over;
  /// it must not cut short the next read on the connection.
  func testStaleCancelDoesNotStopTheNextRead() async throws {
    let block = BlockTestSupport.pattern(size: 8 << 20)
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let connection = try await BlockTestSupport.connect(server)
      _ = try await BlockTestSupport.collect(try await connection.read(blockID: 1, offset: 0, length: 1 << 20))
      try await connection.send(.cancel(blockID: 1))  // what a late cancel() would have put on the wire
      let next = try await BlockTestSupport.collect(try await connection.read(blockID: 1, offset: 0, length: 8 << 20))
      XCTAssertEqual(next, block)
      await connection.close()
    }
  }

  func testSecondRequestWhileReadIsOpenIsRefused() async throws {
    let block = BlockTestSupport.pattern(size: 4 << 20)
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let connection = try await BlockTestSupport.connect(server)
      let stream = try await connection.read(blockID: 1, offset: 0, length: 4 << 20)
      do {
        _ = try await connection.read(blockID: 1, offset: 0, length: 1)
        XCTFail("a second request must wait for the first")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .failedPrecondition, containing: "busy with a READ")
      }
      let all = try await BlockTestSupport.collect(stream)
      XCTAssertEqual(all, block)
      await connection.close()
    }
  }
}
