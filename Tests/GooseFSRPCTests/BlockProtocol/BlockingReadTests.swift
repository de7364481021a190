import Foundation
import GooseFSCore
import NIOCore
import Synchronization
import XCTest

@testable import GooseFSRPC

/// `BlockingBlockReads` against a real block server on loopback.
final class BlockingReadTests: XCTestCase {
  /// Runs the blocking call on a thread of its own, as a libfuse thread would make it.
  private static func onThread(_ body: @escaping @Sendable () -> ByteBuffer?) async -> ByteBuffer? {
    await withCheckedContinuation { continuation in
      Thread { continuation.resume(returning: body()) }.start()
    }
  }

  private func worker(_ server: BlockDataServer) -> BlockingBlockReads.Worker {
    BlockingBlockReads.Worker(host: "127.0.0.1", port: server.port)
  }

  /// Counts the connections a handler serves.
  private func counting(_ connections: Shared<Int>, _ handler: @escaping BlockDataServer.Handler) -> BlockDataServer.Handler {
    { connection in
      connections.update { $0 += 1 }
      try await handler(connection)
    }
  }

  func testRangesOfABlockComeBackWholeOnOneReusedSocket() async throws {
    let block = BlockTestSupport.pattern(size: 3 << 20)
    let connections = Shared(0)
    try await BlockTestSupport.withServer(handler: counting(connections, TestWorker.reads(from: .memory(block)))) { server in
      let reads = BlockingBlockReads(timeout: .seconds(10))
      let target = worker(server)
      for (offset, length) in [(0, 131_072), (1_000_001, 2_000_000), (3_145_000, 728)] {
        let got = await Self.onThread {
          reads.read(target, blockID: 5, offset: Int64(offset), length: Int64(length), request: Goosefs_Block_ReadBlockRequest())
        }
        XCTAssertEqual(got, block.getSlice(at: offset, length: length), "\(length) bytes at \(offset)")
      }
      XCTAssertEqual(connections.value, 1, "one socket, reused for every read")
    }
  }

  func testAnErrorAnswerOrAShortBlockIsNilAndTheSocketStaysInUse() async throws {
    let block = BlockTestSupport.pattern(size: 1 << 20, seed: 3)
    let connections = Shared(0)
    let handler: BlockDataServer.Handler = { connection in
      while let frame = try await connection.nextFrame() {
        if frame.header.blockID == 9 {
          try await connection.sendError(GooseFSError(.notFound, "block 9 is not here"))
        } else {
          try await TestWorker.serveRead(frame.header, from: .memory(block), on: connection)
        }
      }
    }
    try await BlockTestSupport.withServer(handler: counting(connections, handler)) { server in
      let reads = BlockingBlockReads(timeout: .seconds(10))
      let target = worker(server)
      let missing = await Self.onThread { reads.read(target, blockID: 9, offset: 0, length: 100, request: .init()) }
      XCTAssertNil(missing)
      // The block ends before the range does: END says how much there was.
      let short = await Self.onThread { reads.read(target, blockID: 1, offset: 1_000_000, length: 100_000, request: .init()) }
      XCTAssertNil(short)
      let good = await Self.onThread { reads.read(target, blockID: 1, offset: 10, length: 1000, request: .init()) }
      XCTAssertEqual(good, block.getSlice(at: 10, length: 1000))
      XCTAssertEqual(connections.value, 1, "neither answer broke the exchange")
    }
  }

  /// A worker that takes the request and never answers holds the caller for the timeout, then is
  /// not asked this way again for a while; at most `maxBlocked` callers wait at once.
  func testAWorkerThatDoesNotAnswerHoldsOneCallerForTheTimeoutOnly() async throws {
    let connections = Shared(0)
    let requests = AsyncStream.makeStream(of: Void.self)
    let handler: BlockDataServer.Handler = { connection in
      while try await connection.nextFrame() != nil { requests.continuation.yield() }
    }
    try await BlockTestSupport.withServer(handler: counting(connections, handler)) { server in
      let reads = BlockingBlockReads(timeout: .milliseconds(500), maxBlocked: 1, avoidFor: .seconds(600))
      let target = worker(server)
      let begun = ContinuousClock.now
      async let first = Self.onThread { reads.read(target, blockID: 1, offset: 0, length: 10, request: .init()) }
      var arrived = requests.stream.makeAsyncIterator()
      _ = await arrived.next()
      // The first caller waits for an answer: a second one is not made to wait too.
      let second = await Self.onThread { reads.read(target, blockID: 2, offset: 0, length: 10, request: .init()) }
      XCTAssertNil(second)
      let firstResult = await first
      XCTAssertNil(firstResult)
      XCTAssertLessThan(ContinuousClock.now - begun, .seconds(30), "bounded by the 0.5 s timeout, not by the server")
      // Avoided now: no new connection is tried.
      let third = await Self.onThread { reads.read(target, blockID: 3, offset: 0, length: 10, request: .init()) }
      XCTAssertNil(third)
      XCTAssertEqual(connections.value, 1)
    }
  }

  func testNoWorkerListeningIsNil() async throws {
    // A port that was just bound and released: nobody listens there.
    let port = try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(ByteBuffer()))) { $0.port }
    let reads = BlockingBlockReads(timeout: .seconds(5))
    let got = await Self.onThread {
      reads.read(.init(host: "127.0.0.1", port: port), blockID: 1, offset: 0, length: 10, request: .init())
    }
    XCTAssertNil(got)
  }
}
