import GooseFSCore
import GooseFSUFS
import NIOCore
import Synchronization
import Testing

/// Virtual time: `sleep` advances the clock instead of waiting.
final class VirtualRetryTimer: HTTPRetryTimer {
  private let start = ContinuousClock.now
  private let elapsed = Mutex(Duration.zero)
  let sleeps = Mutex<[Duration]>([])

  func now() -> ContinuousClock.Instant { start + elapsed.withLock { $0 } }

  func sleep(for duration: Duration) async throws {
    try Task.checkCancellation()
    sleeps.withLock { $0.append(duration) }
    elapsed.withLock { $0 += duration }
  }
}

@Suite("HTTPRetryPolicy", .timeLimit(.minutes(1)))
struct HTTPRetryPolicyTests {
  static func response(_ status: Int) -> HTTPResponse {
    HTTPResponse(head: HTTPResponseHead(status: status, headers: []), body: ByteBuffer())
  }

  /// Jitter that always takes the whole cap, so delays are predictable.
  static func policy(_ timer: VirtualRetryTimer, maxAttempts: Int = 10, maxDuration: Duration = .seconds(120)) -> HTTPRetryPolicy {
    HTTPRetryPolicy(maxAttempts: maxAttempts, maxDuration: maxDuration, timer: timer, jitter: { $0 })
  }

  @Test(arguments: [500, 502, 503, 429])
  func retriesRetryableStatusesUntilSuccess(status: Int) async throws {
    let timer = VirtualRetryTimer()
    let attempts = Mutex<[Int]>([])
    let response = try await Self.policy(timer).execute("GET /b/k") { number in
      attempts.withLock { $0.append(number) }
      return Self.response(number < 4 ? status : 200)
    }
    #expect(response.status == 200)
    #expect(attempts.withLock { $0 } == [1, 2, 3, 4])
    #expect(timer.sleeps.withLock { $0 } == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
  }

  @Test func retriesRetryableTransportErrors() async throws {
    let timer = VirtualRetryTimer()
    let response = try await Self.policy(timer).execute("GET /b/k") { number in
      switch number {
      case 1: throw HTTPTransportError(.connectionReset, "reset")
      case 2: throw HTTPTransportError(.timeout, "slow")
      case 3: throw HTTPTransportError(.connectFailed, "refused")
      default: return Self.response(200)
      }
    }
    #expect(response.status == 200)
  }

  @Test(arguments: [400, 403, 404, 409, 412])
  func neverRetriesOtherClientErrors(status: Int) async throws {
    let timer = VirtualRetryTimer()
    let calls = Mutex(0)
    let response = try await Self.policy(timer).execute("GET /b/k") { _ in
      calls.withLock { $0 += 1 }
      return Self.response(status)
    }
    #expect(response.status == status)
    #expect(calls.withLock { $0 } == 1)
  }

  @Test func nonRetryableTransportErrorIsRethrownAtOnce() async throws {
    let calls = Mutex(0)
    await #expect {
      try await Self.policy(VirtualRetryTimer()).execute("GET /b/k") { _ in
        calls.withLock { $0 += 1 }
        throw HTTPTransportError(.tlsFailure, "bad certificate")
      }
    } throws: { ($0 as? HTTPTransportError)?.kind == .tlsFailure }
    #expect(calls.withLock { $0 } == 1)
  }

  @Test func givesUpAfterMaxAttemptsWithUnavailable() async throws {
    let timer = VirtualRetryTimer()
    let error = await expectGooseFSError(.unavailable) {
      try await Self.policy(timer, maxAttempts: 4).execute("GET /b/k") { _ in
        throw HTTPTransportError(.connectionReset, "GET http://h/b/k: Connection reset by peer")
      }
    }
    #expect(error?.message == "GET /b/k failed after 4 attempts in 0.7s: GET http://h/b/k: Connection reset by peer")
  }

  @Test func givesUpBeforeASleepWouldPassMaxDuration() async throws {
    let timer = VirtualRetryTimer()
    let calls = Mutex(0)
    // Caps: 0.1, 0.2, 0.4, 0.8, 1.6 s ... with a 2 s budget: 0.1+0.2+0.4+0.8 = 1.5, then 1.6 would pass it.
    let response = try await Self.policy(timer, maxDuration: .seconds(2)).execute("PUT /b/k") { _ in
      calls.withLock { $0 += 1 }
      return Self.response(503)
    }
    #expect(response.status == 503)  // the last response, for the caller to turn into an error
    #expect(calls.withLock { $0 } == 5)
    #expect(timer.sleeps.withLock { $0 }.reduce(.zero, +) == .milliseconds(1500))
  }

  @Test func delaysGrowExponentiallyUpToMaxDelay() async throws {
    let timer = VirtualRetryTimer()
    _ = try await Self.policy(timer).execute("GET /b/k") { _ in Self.response(500) }
    #expect(timer.sleeps.withLock { $0 }.map { $0 / .milliseconds(1) } == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000])
  }

  @Test func fullJitterStaysWithinTheCap() {
    for _ in 0..<1000 {
      let delay = HTTPRetryPolicy.fullJitter(.milliseconds(800))
      #expect(delay >= .zero && delay <= .milliseconds(800))
    }
  }

  @Test func retriesThroughInjectedFaultsEndToEnd() async throws {
    let origin = try FaultServerProcess.origin(bytes: 1000)
    let proxy = try FaultServerProcess.proxy(to: origin, plan: #"""
      {"rules": [{"requests": [1], "fault": "status", "status": 500}, {"requests": [2], "fault": "slowdown"},
                 {"requests": [3], "fault": "status", "status": 429}, {"requests": [4], "fault": "reset_before"},
                 {"requests": [5], "fault": "truncate"}]}
      """#)
    let transport = try CurlTestSupport.transport()
    let policy = HTTPRetryPolicy(baseDelay: .milliseconds(1), maxDelay: .milliseconds(10))
    let response = try await policy.execute("GET /object") { _ in
      try await transport.execute(proxy.request("GET", "/object"), timeout: .seconds(10))
    }
    #expect(response.status == 200)
    #expect(Array(response.body.readableBytesView) == FaultServerProcess.pattern(0..<1000))
  }

  @Test func doesNotRetryForbiddenEndToEnd() async throws {
    let origin = try FaultServerProcess.origin(bytes: 1000)
    let proxy = try FaultServerProcess.proxy(to: origin, plan: #"{"rules": [{"requests": [1, 2], "fault": "status", "status": 403}]}"#)
    let transport = try CurlTestSupport.transport()
    let policy = HTTPRetryPolicy(baseDelay: .milliseconds(1), maxDelay: .milliseconds(10))
    let response = try await policy.execute("GET /object") { _ in
      try await transport.execute(proxy.request("GET", "/object"), timeout: .seconds(10))
    }
    #expect(response.status == 403)
    #expect(try await proxy.stats(using: transport).requests == 1)
  }
}
