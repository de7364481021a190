import Foundation

/// A limit on work in progress for callers that are threads, not tasks: `acquire` blocks the
/// calling thread while every slot is taken. libfuse's threads use it so that a full daemon
/// stops reading /dev/fuse and the kernel queues further requests itself (its own limit is
/// max_background). Never call it from async code: a cooperative thread blocked here could be
/// the one the work holding the slots needs.
final class BlockingSlots: @unchecked Sendable {
  let limit: Int
  // NSCondition guards `inUse` and `highWater` and wakes the waiters.
  private let condition = NSCondition()
  private var inUse = 0
  private var highWater = 0

  init(limit: Int) {
    precondition(limit > 0, "a slot limit must be positive")
    self.limit = limit
  }

  /// Waits for a free slot and takes it.
  @available(*, noasync, message: "blocks its thread; libfuse threads only")
  func acquire() {
    condition.lock()
    while inUse >= limit { condition.wait() }
    inUse += 1
    highWater = max(highWater, inUse)
    precondition(inUse <= limit)
    condition.unlock()
  }

  /// Gives a slot back; safe from any thread or task (it never waits).
  func release() {
    condition.lock()
    precondition(inUse > 0, "a slot released twice")
    inUse -= 1
    condition.signal()
    condition.unlock()
  }

  /// Slots taken now, and the most ever taken at once (never above `limit`).
  var usage: (inUse: Int, highWater: Int) {
    condition.lock()
    defer { condition.unlock() }
    return (inUse, highWater)
  }
}
