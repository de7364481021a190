import GooseFSCore

/// Retries an object-store request through transient trouble: dropped connections, timeouts,
/// 5xx and 429 (S3's 503 SlowDown included). Never retries other 4xx, whose answer will not
/// change. Delays grow exponentially with full jitter (a random delay between 0 and the cap),
/// which spreads out clients that failed together; retrying stops when attempts run out or the
/// next delay would go past `maxDuration`.
public struct HTTPRetryPolicy: Sendable {
  public var maxAttempts: Int
  public var maxDuration: Duration
  public var baseDelay: Duration
  public var maxDelay: Duration
  /// How time is read and waited for; tests pass a virtual timer.
  public var timer: any HTTPRetryTimer
  /// Picks the delay before the next attempt, given its cap. Defaults to a uniform random
  /// choice in 0...cap ("full jitter").
  public var jitter: @Sendable (Duration) -> Duration

  public init(
    maxAttempts: Int = 10,
    maxDuration: Duration = .seconds(120),
    baseDelay: Duration = .milliseconds(100),
    maxDelay: Duration = .seconds(5),
    timer: any HTTPRetryTimer = ContinuousRetryTimer(),
    jitter: @escaping @Sendable (Duration) -> Duration = HTTPRetryPolicy.fullJitter
  ) {
    self.maxAttempts = max(1, maxAttempts)
    self.maxDuration = maxDuration
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.timer = timer
    self.jitter = jitter
  }

  /// 5xx (server trouble, including S3's 503 SlowDown) and 429 (throttling) may pass.
  public static func isRetryable(status: Int) -> Bool {
    status == 429 || (500...599).contains(status)
  }

  /// Calls `attempt(1)`, `attempt(2)`, ... until one returns a response that is not retryable
  /// (returned), throws an error that is not retryable (rethrown), or the budget is spent: then
  /// the last retryable response is returned, or the last transport error is thrown as
  /// `GooseFSError(.unavailable)`. The caller rebuilds and re-signs the request in each attempt.
  public func execute(
    _ operation: String, _ attempt: @Sendable (Int) async throws -> HTTPResponse
  ) async throws -> HTTPResponse {
    let start = timer.now()
    var number = 1
    while true {
      var lastResponse: HTTPResponse?
      let problem: String
      do {
        let response = try await attempt(number)
        guard Self.isRetryable(status: response.status) else { return response }
        lastResponse = response
        problem = "HTTP \(response.status)"
      } catch let error as HTTPTransportError where error.isRetryable {
        problem = error.message
      }
      let elapsed = start.duration(to: timer.now())
      let delay = jitter(delayCap(afterAttempt: number))
      if number >= maxAttempts || elapsed + delay > maxDuration {
        if let lastResponse { return lastResponse }
        let seconds = (elapsed.secondsValue * 10).rounded() / 10
        throw GooseFSError(.unavailable, "\(operation) failed after \(number) attempts in \(seconds)s: \(problem)")
      }
      try await timer.sleep(for: delay)
      number += 1
    }
  }

  /// baseDelay × 2^(attempt-1), at most maxDelay.
  func delayCap(afterAttempt attempt: Int) -> Duration {
    let doublings = min(max(attempt - 1, 0), 30)
    return min(maxDelay, baseDelay * (1 << doublings))
  }

  public static let fullJitter: @Sendable (Duration) -> Duration = { cap in
    let nanoseconds = cap.components.seconds * 1_000_000_000 + cap.components.attoseconds / 1_000_000_000
    guard nanoseconds > 0 else { return .zero }
    return .nanoseconds(Int64.random(in: 0...nanoseconds))
  }
}

/// Reads a monotonic clock and sleeps; separate so tests can run retries in virtual time.
public protocol HTTPRetryTimer: Sendable {
  func now() -> ContinuousClock.Instant
  func sleep(for duration: Duration) async throws
}

/// Real time: the continuous clock and `Task.sleep` (which ends early, throwing, on cancellation).
public struct ContinuousRetryTimer: HTTPRetryTimer {
  public init() {}

  public func now() -> ContinuousClock.Instant { .now }

  public func sleep(for duration: Duration) async throws {
    try await Task.sleep(for: duration)
  }
}
