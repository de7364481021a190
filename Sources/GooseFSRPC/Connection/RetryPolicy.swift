import GooseFSCore

/// How long a client keeps trying an unreachable master: exponential backoff between attempts,
/// bounded by a total budget (goosefs.user.rpc.retry.max.duration), so a dead master makes a
/// command fail in bounded time with a clear message.
public struct RetryPolicy: Sendable {
  public var baseSleep: Duration
  public var maxSleep: Duration
  public var maxDuration: Duration

  public init(baseSleep: Duration, maxSleep: Duration, maxDuration: Duration) {
    self.baseSleep = baseSleep
    self.maxSleep = maxSleep
    self.maxDuration = maxDuration
  }

  public init(_ configuration: Configuration) throws {
    self.init(
      baseSleep: .milliseconds(try configuration.milliseconds(PropertyKeys.userRpcRetryBaseSleep)),
      maxSleep: .milliseconds(try configuration.milliseconds(PropertyKeys.userRpcRetryMaxSleep)),
      maxDuration: .milliseconds(try configuration.milliseconds(PropertyKeys.userRpcRetryMaxDuration)))
  }

  /// Errors worth another attempt: the master could not be reached, or is not the leader.
  static func isRetryable(_ error: GooseFSError) -> Bool {
    error.code == .unavailable || error.code == .notLeader
  }

  func sleep(afterAttempt attempt: Int) -> Duration {
    var sleep = baseSleep
    for _ in 0..<min(attempt, 20) where sleep < maxSleep { sleep *= 2 }
    return min(sleep, maxSleep)
  }
}
