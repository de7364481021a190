import GooseFSUFS
import NIOCore
import Synchronization
import Testing

@Suite("CurlHTTPTransport streaming", .serialized, .timeLimit(.minutes(3)))
struct CurlStreamingTests {
  /// Checks each streamed byte against the origin's pattern, in order, and records chunk sizes.
  final class Receiver: Sendable {
    struct State {
      var offset = 0
      var mismatches = 0
      var largestChunk = 0
      var status: Int?
    }
    let state = Mutex(State())

    func head(_ head: HTTPResponseHead) {
      state.withLock { $0.status = head.status }
    }

    func body(_ chunk: ByteBuffer) {
      state.withLock { state in
        var offset = state.offset
        var mismatches = 0
        chunk.withUnsafeReadableBytes { bytes in
          for byte in bytes {
            if byte != FaultServerProcess.patternByte(offset) { mismatches += 1 }
            offset += 1
          }
        }
        state.offset = offset
        state.mismatches += mismatches
        state.largestChunk = max(state.largestChunk, chunk.readableBytes)
      }
    }
  }

  @Test func slowConsumerGetsEveryByteInOrderWithinBoundedMemory() async throws {
    let size = 64 << 20
    let bufferSize = 1 << 20
    let server = try FaultServerProcess.origin(bytes: size)
    let transport = try CurlTestSupport.transport { $0.streamBufferSize = bufferSize }
    let receiver = Receiver()
    try await transport.stream(server.request("GET", "/big"), idleTimeout: .seconds(10)) { head in
      receiver.head(head)
    } onBody: { chunk in
      let isFirst = receiver.state.withLock { $0.offset == 0 }
      receiver.body(chunk)  // checking every byte in a debug build: slower than loopback
      if isFirst { try await Task.sleep(for: .milliseconds(200)) }  // and one long hiccup
    }
    let state = receiver.state.withLock { $0 }
    #expect(state.status == 200)
    #expect(state.offset == size)
    #expect(state.mismatches == 0)
    // Each chunk is everything that was queued when the consumer asked: never more than the
    // buffer plus the one receive chunk that crossed the limit.
    #expect(state.largestChunk <= bufferSize + 512 * 1024, "largest chunk \(state.largestChunk)")
    // ...and the buffer did fill up (the consumer's first pause let the server run ahead), so
    // the bound above was enforced by pausing, not by luck.
    #expect(state.largestChunk >= bufferSize)
  }

  @Test func pausedTimeDoesNotCountAsStall() async throws {
    let server = try FaultServerProcess.origin(bytes: 4 << 20)
    let transport = try CurlTestSupport.transport { $0.streamBufferSize = 64 * 1024 }
    let receiver = Receiver()
    let first = Mutex(true)
    // The timeout leaves a loaded runner time to move bytes; the pause is still twice as long.
    try await transport.stream(server.request("GET", "/big"), idleTimeout: .seconds(2)) { head in
      receiver.head(head)
    } onBody: { chunk in
      receiver.body(chunk)
      // The consumer takes far longer than the idle timeout once; the transfer is paused meanwhile.
      let isFirst = first.withLock { value in
        defer { value = false }
        return value
      }
      if isFirst {
        try await Task.sleep(for: .seconds(4))
      }
    }
    #expect(receiver.state.withLock { $0.offset } == 4 << 20)
  }

  @Test func stalledServerFailsWithTimeout() async throws {
    let server = try FaultServerProcess.origin(
      bytes: 1 << 20, plan: #"{"rules": [{"requests": [1], "fault": "stall", "bytes": 1000}]}"#)
    let transport = try CurlTestSupport.transport()
    let receiver = Receiver()
    let started = ContinuousClock.now
    await #expect {
      try await transport.stream(server.request("GET", "/big"), idleTimeout: .milliseconds(500)) { head in
        receiver.head(head)
      } onBody: { chunk in
        receiver.body(chunk)
      }
    } throws: { ($0 as? HTTPTransportError)?.kind == .timeout }
    // The 1,000 bytes before the stall may or may not reach the consumer before the timeout is
    // reported (a failure wins over queued bytes); never more, never anything else.
    #expect([0, 1000].contains(receiver.state.withLock { $0.offset }))
    // The server never sends more: well under "forever", with room for a loaded runner.
    #expect(started.duration(to: .now) < .seconds(15))
  }

  @Test func cancellingMidStreamEndsPromptly() async throws {
    let server = try FaultServerProcess.origin(bytes: 1 << 30)
    let transport = try CurlTestSupport.transport()
    let received = Mutex(0)
    let (halfway, reached) = AsyncStream.makeStream(of: Void.self)
    let task = Task {
      try await transport.stream(server.request("GET", "/huge"), idleTimeout: .seconds(10)) { _ in
      } onBody: { chunk in
        let total = received.withLock { $0 += chunk.readableBytes; return $0 }
        if total >= 8 << 20 { reached.yield() }
      }
    }
    for await _ in halfway { break }
    let cancelled = ContinuousClock.now
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(cancelled.duration(to: .now) < .seconds(10))
    #expect(received.withLock { $0 } < 1 << 30)
    // The transport is still usable (the cancelled handle was cleaned up and recycled).
    let after = try await transport.execute(server.request("GET", "/x", headers: [("Range", "bytes=0-9")]), timeout: .seconds(10))
    #expect(Array(after.body.readableBytesView) == FaultServerProcess.pattern(0..<10))
  }

  @Test func consumerErrorAbortsTheTransfer() async throws {
    struct Enough: Error {}
    let server = try FaultServerProcess.origin(bytes: 1 << 30)
    let transport = try CurlTestSupport.transport()
    let started = ContinuousClock.now
    await #expect(throws: Enough.self) {
      try await transport.stream(server.request("GET", "/huge"), idleTimeout: .seconds(10)) { head in
        #expect(head.status == 200)
      } onBody: { _ in
        throw Enough()
      }
    }
    #expect(started.duration(to: .now) < .seconds(15))
  }

  @Test func errorStatusIsDeliveredAsHeadAndBody() async throws {
    let server = try FaultServerProcess.origin(bytes: 10, plan: #"{"rules": [{"requests": [1], "fault": "slowdown"}]}"#)
    let transport = try CurlTestSupport.transport()
    let status = Mutex<Int?>(nil)
    let body = Mutex("")
    try await transport.stream(server.request("GET", "/o"), idleTimeout: .seconds(5)) { head in
      status.withLock { $0 = head.status }
    } onBody: { chunk in
      body.withLock { $0 += String(buffer: chunk) }
    }
    #expect(status.withLock { $0 } == 503)
    #expect(body.withLock { $0 }.contains("<Code>SlowDown</Code>"))
  }
}
