import GooseFSCore
import NIOCore
import XCTest

@testable import GooseFSRPC

final class BlockConnectionPoolTests: XCTestCase {
  private let block = BlockTestSupport.pattern(size: 3 << 20)

  private func pool(maxIdle: Int = 2) -> BlockConnectionPool {
    BlockConnectionPool(group: BlockTestSupport.group, maxIdlePerWorker: maxIdle, idleTimeout: .seconds(30))
  }

  func testReusesACheckedInConnection() async throws {
    let block = self.block
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let pool = pool()
      var used: [ObjectIdentifier] = []
      for _ in 0..<3 {
        let bytes = try await pool.withConnection(host: "127.0.0.1", port: server.port) { connection in
          used.append(ObjectIdentifier(connection))
          return try await BlockTestSupport.collect(try await connection.read(blockID: 1, offset: 0, length: 3 << 20))
        }
        XCTAssertEqual(bytes, block)
      }
      XCTAssertEqual(Set(used).count, 1, "one connection served all three reads")
      XCTAssertEqual(pool.idleCount(host: "127.0.0.1", port: server.port), 1)
      XCTAssertEqual(server.connectionCount, 1)
      await pool.close()
    }
  }

  func testKeepsAtMostTheIdleLimit() async throws {
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let pool = pool(maxIdle: 2)
      var connections: [BlockDataConnection] = []
      for _ in 0..<3 { connections.append(try await pool.checkout(host: "127.0.0.1", port: server.port)) }
      XCTAssertEqual(Set(connections.map(ObjectIdentifier.init)).count, 3, "checked-out connections are distinct")
      for connection in connections { pool.checkin(connection) }
      XCTAssertEqual(pool.idleCount(host: "127.0.0.1", port: server.port), 2)
      XCTAssertFalse(connections[2].isReusable, "the one over the limit was closed")
      await pool.close()
      XCTAssertFalse(connections[0].isReusable, "closing the pool closes idle connections")
    }
  }

  func testDiscardsAConnectionWithAnAbandonedRead() async throws {
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let pool = pool()
      let first = try await pool.checkout(host: "127.0.0.1", port: server.port)
      let stream = try await first.read(blockID: 1, offset: 0, length: 3 << 20)
      var iterator = stream.makeAsyncIterator()
      _ = try await iterator.next()
      pool.checkin(first)  // mid-read, not cancelled: unusable
      XCTAssertEqual(pool.idleCount(host: "127.0.0.1", port: server.port), 0)
      let second = try await pool.checkout(host: "127.0.0.1", port: server.port)
      XCTAssertFalse(first === second)
      let bytes = try await BlockTestSupport.collect(try await second.read(blockID: 1, offset: 0, length: 3 << 20))
      XCTAssertEqual(bytes, block)
      await pool.close()
      await second.close()
    }
  }

  func testKeepsAConnectionWhoseReadWasCancelledAndDrained() async throws {
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let pool = pool()
      let first = try await pool.checkout(host: "127.0.0.1", port: server.port)
      let stream = try await first.read(blockID: 1, offset: 0, length: 3 << 20)
      var iterator = stream.makeAsyncIterator()
      _ = try await iterator.next()
      await stream.cancel()
      pool.checkin(first)
      XCTAssertEqual(pool.idleCount(host: "127.0.0.1", port: server.port), 1)
      let second = try await pool.checkout(host: "127.0.0.1", port: server.port)
      XCTAssertTrue(first === second)
      await pool.close()
      await second.close()
    }
  }

  func testDiscardsAConnectionThatSawAnError() async throws {
    let handler: BlockDataServer.Handler = { connection in
      while let frame = try await connection.nextFrame() {
        // Garbage instead of an answer: a protocol violation.
        try await connection.sendData(blockID: frame.header.blockID, offset: 12345, buffer: ByteBuffer(bytes: [1]))
      }
    }
    try await BlockTestSupport.withServer(handler: handler) { server in
      let pool = pool()
      var seen: ObjectIdentifier?
      do {
        try await pool.withConnection(host: "127.0.0.1", port: server.port) { connection in
          seen = ObjectIdentifier(connection)
          _ = try await connection.call(op: .cacheBlock, blockID: 1)
        }
        XCTFail("expected a protocol violation")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .invalidArgument, containing: "answered CACHE_BLOCK with DATA")
      }
      XCTAssertNotNil(seen)
      XCTAssertEqual(pool.idleCount(host: "127.0.0.1", port: server.port), 0)
      await pool.close()
    }
  }

  func testReplacesAnIdleConnectionTheWorkerClosed() async throws {
    let block = self.block
    try await BlockTestSupport.withServer(handler: TestWorker.reads(from: .memory(block))) { server in
      let pool = pool()
      let first = try await pool.checkout(host: "127.0.0.1", port: server.port)
      pool.checkin(first)
      // The worker end goes away (as when a worker restarts); wait until the client has noticed.
      try await BlockTestSupport.waitUntil("the server has the connection") { server.connectionCount == 1 }
      try await server.connectionChannels.first!.close()
      try await first.channel.closeFuture.get()
      let second = try await pool.checkout(host: "127.0.0.1", port: server.port)
      XCTAssertFalse(first === second)
      let bytes = try await BlockTestSupport.collect(try await second.read(blockID: 1, offset: 0, length: 3 << 20))
      XCTAssertEqual(bytes, block)
      await pool.close()
      await second.close()
    }
  }

  func testClosedPoolRefusesCheckout() async throws {
    let pool = pool()
    await pool.close()
    do {
      _ = try await pool.checkout(host: "127.0.0.1", port: 1)
      XCTFail("a closed pool hands out nothing")
    } catch {
      BlockTestSupport.assertGooseFSError(error, .unavailable, containing: "closed")
    }
  }
}
