import GooseFSCore
import NIOCore
import Synchronization
import XCTest

@testable import GooseFSRPC

/// Backpressure and timeouts.
final class BlockFlowControlTests: XCTestCase {
  /// What the server's READ loop reports while it runs.
  struct WriterProgress: Sendable {
    var framesWritten = 0
    var finished = false
    /// The most bytes NIO had queued for the socket, seen after any write returned.
    var maxBufferedBytes = 0
  }

  /// A slow reader must hold the worker back: with the reader not consuming, the worker's writes
  /// suspend once the kernel's socket buffers, NIO's write watermark and the reader's few frames of
  /// read-ahead are full. Without backpressure the worker would queue the whole 512 MiB at once.
  func testSlowReaderSuspendsTheWorkersWrites() async throws {
    let frame = ByteBuffer(repeating: 0x5A, count: 1 << 20)
    let frameCount = 512
    let progress = Mutex(WriterProgress())
    let serverChannel = Mutex<(any Channel)?>(nil)
    let handler: BlockDataServer.Handler = { connection in
      serverChannel.withLock { $0 = connection.channel }
      guard let request = try await connection.nextFrame() else { return }
      for index in 0..<frameCount {
        try await connection.sendData(blockID: request.header.blockID, offset: Int64(index) << 20, buffer: frame)
        let buffered = try await connection.channel.getOption(.bufferedWritableBytes).get()
        progress.withLock {
          $0.framesWritten = index + 1
          $0.maxBufferedBytes = max($0.maxBufferedBytes, buffered)
        }
      }
      progress.withLock { $0.finished = true }
      try await connection.sendEnd(blockID: request.header.blockID, total: Int64(frameCount) << 20)
      _ = try await connection.nextFrame()
    }
    let configuration = BlockProtocolConfiguration()
    // Frames that can be in flight with nobody consuming: NIO's high watermark plus one frame
    // (the write that found the channel unwritable), the reader's queue, and the kernel's socket
    // buffers at their largest (net.ipv4.tcp_rmem + tcp_wmem maxima: 32 + 4 MiB here). Seen: 5 to
    // 16 frames ahead; without backpressure, 85 and growing.
    let bound =
      configuration.writeBufferWaterMark.high / (1 << 20) + 1 + configuration.inboundHighWatermark
      + Self.largestSocketBuffersMiB()
    try await BlockTestSupport.withServer(configuration: configuration, handler: handler) { server in
      let connection = try await BlockTestSupport.connect(server)
      let stream = try await connection.read(blockID: 1, offset: 0, length: Int64(frameCount) << 20)
      var iterator = stream.makeAsyncIterator()
      var consumedBytes = 0
      // Consume a chunk at a time, each time only after the worker has got ahead and NIO has
      // marked its channel unwritable: at that point it must be blocked, not racing to the end.
      for _ in 0..<64 {
        try await BlockTestSupport.waitUntil("the worker's channel becomes unwritable") {
          serverChannel.withLock { $0?.isWritable == false }
        }
        let snapshot = progress.withLock { $0 }
        XCTAssertFalse(snapshot.finished, "the worker queued everything without waiting for the reader")
        XCTAssertLessThanOrEqual(
          snapshot.framesWritten - consumedBytes >> 20, bound, "the worker ran ahead of the reader")
        guard let chunk = try await iterator.next() else { return XCTFail("stream ended early") }
        consumedBytes += chunk.readableBytes
      }
      XCTAssertLessThanOrEqual(
        progress.withLock { $0.maxBufferedBytes }, configuration.writeBufferWaterMark.high + (1 << 20),
        "NIO never held more than the high watermark plus one frame")
      while let chunk = try await iterator.next() { consumedBytes += chunk.readableBytes }
      XCTAssertEqual(consumedBytes, frameCount << 20)
      await connection.close()
    }
  }

  func testIdleTimeoutFiresAgainstAWorkerThatNeverAnswers() async throws {
    let handler: BlockDataServer.Handler = { connection in
      // Take the request, answer nothing; return when the client gives up and closes.
      while try await connection.nextFrame() != nil {}
    }
    try await BlockTestSupport.withServer(handler: handler) { server in
      let connection = try await BlockTestSupport.connect(server, idleTimeout: .milliseconds(300))
      let stream = try await connection.read(blockID: 1, offset: 0, length: 100)
      do {
        _ = try await BlockTestSupport.collect(stream)
        XCTFail("the read should time out")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .deadlineExceeded, containing: "127.0.0.1:\(server.port) sent nothing for 300 ms")
      }
      XCTAssertFalse(connection.isReusable)
      do {
        _ = try await connection.call(op: .closeLocal, blockID: 1)
        XCTFail("a timed-out connection is closed")
      } catch {
        BlockTestSupport.assertGooseFSError(error, .unavailable)
      }
    }
  }

  func testSlowConsumerIsNotMistakenForASilentWorker() async throws {
    let block = BlockTestSupport.pattern(size: 4 << 20)
    let workerDone = Shared(false)
    let handler: BlockDataServer.Handler = { connection in
      guard let request = try await connection.nextFrame() else { return }
      try await TestWorker.serveRead(request.header, from: .memory(block), on: connection)
      workerDone.update { $0 = true }
      _ = try await connection.nextFrame()
    }
    try await BlockTestSupport.withServer(handler: handler) { server in
      // 1 s: long enough for a loaded runner to deliver the first frame and each refill.
      let connection = try await BlockTestSupport.connect(server, idleTimeout: .seconds(1))
      let stream = try await connection.read(blockID: 1, offset: 0, length: 4 << 20)
      var iterator = stream.makeAsyncIterator()
      var received = try await iterator.next()?.readableBytes ?? 0
      // The worker has said everything; the rest is queued or in socket buffers. Not consuming
      // for longer than the idle timeout must not fail the read: the timer runs only while the
      // reader waits on an empty queue.
      try await BlockTestSupport.waitUntil("the worker has sent END") { workerDone.value }
      try await Task.sleep(for: .seconds(2))  // a slow consumer, not synchronisation
      while let chunk = try await iterator.next() { received += chunk.readableBytes }
      XCTAssertEqual(received, 4 << 20)
      await connection.close()
    }
  }

  func testConnectionRefusedIsUnavailableNamingTheWorker() async throws {
    let port = try await BlockTestSupport.withServer(handler: { _ in }) { server in server.port }
    do {
      _ = try await BlockDataConnection.connect(host: "127.0.0.1", port: port, group: BlockTestSupport.group)
      XCTFail("nothing listens on \(port) any more")
    } catch {
      BlockTestSupport.assertGooseFSError(error, .unavailable, containing: "127.0.0.1:\(port)")
    }
  }

  /// The most loopback socket buffers can hold, in MiB (rounded up): the maxima of
  /// net.ipv4.tcp_rmem and tcp_wmem; 40 if they cannot be read.
  static func largestSocketBuffersMiB() -> Int {
    func maximum(_ name: String) -> Int? {
      guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/" + name, encoding: .utf8) else { return nil }
      return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).last.flatMap { Int($0) }
    }
    guard let receive = maximum("tcp_rmem"), let send = maximum("tcp_wmem") else { return 40 }
    return (receive + send + (1 << 20) - 1) >> 20
  }
}
