import GooseFSCore
import NIOCore
import XCTest

@testable import GooseFSRPC

final class BlockDataServerTests: XCTestCase {
  /// Beyond goosefs.worker.network.connections.max, a connection's first request is refused with
  /// resourceExhausted (a client fails over) and the open ones keep working; a slot freed by a
  /// closed connection is usable again. 40 connections against a limit of 3: nothing crashes.
  func testConnectionsBeyondTheLimitAreRefusedClearly() async throws {
    let block = BlockTestSupport.pattern(size: 64 << 10)
    try await BlockTestSupport.withServer(maxConnections: 3, handler: TestWorker.reads(from: .memory(block))) { server in
      var kept: [BlockDataConnection] = []
      for _ in 0..<3 {
        let connection = try await BlockTestSupport.connect(server)
        let received = try await BlockTestSupport.collect(try await connection.read(blockID: 1, offset: 0, length: 64 << 10))
        XCTAssertEqual(received, block)
        kept.append(connection)
      }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<40 {
          group.addTask {
            let extra = try await BlockTestSupport.connect(server)
            do {
              _ = try await BlockTestSupport.collect(try await extra.read(blockID: 1, offset: 0, length: 64 << 10))
              XCTFail("a connection beyond the limit was served")
            } catch {
              BlockTestSupport.assertGooseFSError(error, .resourceExhausted, containing: "goosefs.worker.network.connections.max")
            }
            await extra.close()
          }
        }
        try await group.waitForAll()
      }
      for connection in kept {
        let received = try await BlockTestSupport.collect(try await connection.read(blockID: 1, offset: 0, length: 64 << 10))
        XCTAssertEqual(received, block)
      }
      await kept.removeLast().close()
      try await BlockTestSupport.waitUntil("the closed connection's slot is free") { server.connectionCount == 2 }
      let again = try await BlockTestSupport.connect(server)
      let received = try await BlockTestSupport.collect(try await again.read(blockID: 1, offset: 0, length: 64 << 10))
      XCTAssertEqual(received, block)
      await again.close()
      for connection in kept { await connection.close() }
    }
  }

  func testGracefulCloseEndsIdleConnectionsAndRunReturns() async throws {
    let block = BlockTestSupport.pattern(size: 1 << 20)
    let server = try await BlockDataServer.bind(
      host: "127.0.0.1", port: 0, group: BlockTestSupport.group, handler: TestWorker.reads(from: .memory(block)))
    XCTAssertGreaterThan(server.port, 0)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      let idle = try await BlockTestSupport.connect(server)
      _ = try await BlockTestSupport.collect(try await idle.read(blockID: 1, offset: 0, length: 1 << 20))
      await server.close()
      try await group.waitForAll()  // run() returns: the idle connection was ended
      try await idle.channel.closeFuture.get()
      XCTAssertFalse(idle.isReusable)
    }
  }

  func testGracefulCloseLetsABusyReadFinish() async throws {
    let size = 16 << 20
    let block = BlockTestSupport.pattern(size: size)
    let server = try await BlockDataServer.bind(
      host: "127.0.0.1", port: 0, group: BlockTestSupport.group, handler: TestWorker.reads(from: .memory(block)))
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      let busy = try await BlockTestSupport.connect(server)
      let stream = try await busy.read(blockID: 1, offset: 0, length: Int64(size))
      var iterator = stream.makeAsyncIterator()
      var received = ByteBufferAllocator().buffer(capacity: size)
      guard var first = try await iterator.next() else { return XCTFail("no data") }
      received.writeBuffer(&first)
      await server.close()
      while var chunk = try await iterator.next() { received.writeBuffer(&chunk) }
      XCTAssertEqual(received, block, "the read in progress completes")
      try await group.waitForAll()
      do {
        _ = try await BlockTestSupport.collect(try await busy.read(blockID: 1, offset: 0, length: 1))
        XCTFail("the server closed the connection after the exchange")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .unavailable)
      }
    }
  }

  func testAHandlerFailureIsReportedToTheClientAndOtherConnectionsGoOn() async throws {
    let handler: BlockDataServer.Handler = { connection in
      while let frame = try await connection.nextFrame() {
        if frame.header.blockID == 666 {
          throw GooseFSError(.ioError, "Disk read of block 666 failed")
        }
        try await connection.sendAck(payload: nil)
      }
    }
    try await BlockTestSupport.withServer(handler: handler) { server in
      let healthy = try await BlockTestSupport.connect(server)
      let doomed = try await BlockTestSupport.connect(server)
      do {
        _ = try await doomed.call(op: .cacheBlock, blockID: 666)
        XCTFail("expected the handler's error")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .ioError, containing: "block 666")
      }
      _ = try await healthy.call(op: .cacheBlock, blockID: 1)
      await healthy.close()
      await doomed.close()
    }
  }

  func testBindingATakenPortIsUnavailable() async throws {
    try await BlockTestSupport.withServer(handler: { _ in }) { server in
      do {
        _ = try await BlockDataServer.bind(host: "127.0.0.1", port: server.port, group: BlockTestSupport.group) { _ in }
        XCTFail("the port is taken")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .unavailable, containing: "127.0.0.1:\(server.port)")
      }
    }
  }
}
