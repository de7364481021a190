import Foundation
import Synchronization
import Testing

@testable import GooseFSFuse

/// The bounds libfuse threads wait on: never more holders than the limit, every waiter served.
@Suite struct RequestLimitTests {
  /// Threads, as libfuse's are: each takes a slot, holds it until the next thread is let go,
  /// then gives it back.
  @Test func slotsNeverHaveMoreHoldersThanTheLimitAndEveryWaiterGetsOne() {
    let slots = BlockingSlots(limit: 4)
    let served = Atomic<Int>(0)
    let done = DispatchGroup()
    for _ in 0..<32 {
      done.enter()
      Thread.detachNewThread {
        slots.acquire()
        served.add(1, ordering: .relaxed)
        #expect(slots.usage.inUse <= 4)
        slots.release()
        done.leave()
      }
    }
    done.wait()
    #expect(served.load(ordering: .relaxed) == 32)
    #expect(slots.usage.inUse == 0)
    #expect((1...4).contains(slots.usage.highWater))
  }

  /// A handle's queue holds at most its limit: the submitter of one more job waits until the
  /// head job ends, and jobs still run in submission order.
  @Test func aFullHandleQueueMakesTheSubmitterWaitAndKeepsTheOrder() {
    let queue = SerialJobQueue(limit: 2)
    let (gate, open) = AsyncStream<Void>.makeStream()
    let order = Mutex<[Int]>([])
    let submitted = Atomic<Int>(0)
    let finished = DispatchGroup()
    finished.enter()
    Thread.detachNewThread {
      for number in 0..<5 {
        _ = queue.submit {
          if number == 0 { for await _ in gate { break } }
          order.withLock { $0.append(number) }
        }
        submitted.add(1, ordering: .relaxed)
      }
      finished.leave()
    }
    // Job 0 holds the queue: jobs 0 and 1 fill it, the thread cannot submit job 2. (A timed
    // wait checks that something does not happen; nothing waits on it to proceed.)
    #expect(finished.wait(timeout: .now() + 0.5) == .timedOut)
    #expect(submitted.load(ordering: .relaxed) <= 2)
    open.yield()
    finished.wait()
    let drained = DispatchSemaphore(value: 0)
    _ = queue.submit { drained.signal() }
    drained.wait()
    #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
  }
}
