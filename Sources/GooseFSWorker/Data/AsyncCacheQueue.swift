import GooseFSCore
import GooseFSRPC
import Logging
import Synchronization

/// Finishes caching blocks after the reader that caused the miss got its bytes: a reader that
/// read the start of a block hands over its half-written block; a positioned read in the middle
/// of a block queues the whole block. Jobs beyond `capacity` are dropped (the next miss queues
/// them again), so a burst of random reads cannot pile up unbounded work.
final class AsyncCacheQueue: Sendable {
  enum Job: Sendable {
    case finish(blockID: Int64, writer: BlockWriter, position: Int64, source: Goosefs_Block_UfsBlockSource)
    case whole(blockID: Int64, source: Goosefs_Block_UfsBlockSource)
  }

  private let stream: AsyncStream<Job>
  private let continuation: AsyncStream<Job>.Continuation
  private let pending = Mutex(0)
  let capacity: Int
  let concurrency: Int

  private let caching: CachingBlocks

  init(caching: CachingBlocks, capacity: Int = 256, concurrency: Int = 4) {
    self.caching = caching
    (stream, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
    self.capacity = capacity
    self.concurrency = concurrency
  }

  /// False when the queue is full (the job is not taken; a `.finish` writer is aborted).
  @discardableResult
  func submit(_ job: Job) -> Bool {
    let accepted = pending.withLock { count -> Bool in
      guard count < capacity else { return false }
      count += 1
      return true
    }
    if accepted {
      continuation.yield(job)
    } else if case .finish(let blockID, let writer, _, _) = job {
      writer.abort()
      caching.finish(blockID)
    }
    return accepted
  }

  /// Runs jobs until cancelled; `concurrency` at a time.
  func run(fetcher: UFSBlockFetcher, caching: CachingBlocks, logger: Logger) async {
    await withTaskGroup(of: Void.self) { group in
      var running = 0
      for await job in stream {
        if running >= concurrency {
          await group.next()
          running -= 1
        }
        running += 1
        group.addTask {
          await self.execute(job, fetcher: fetcher, caching: caching, logger: logger)
          self.pending.withLock { $0 -= 1 }
        }
      }
    }
  }

  func finishInput() { continuation.finish() }

  private func execute(_ job: Job, fetcher: UFSBlockFetcher, caching: CachingBlocks, logger: Logger) async {
    switch job {
    case .finish(let blockID, let writer, let position, let source):
      defer { caching.finish(blockID) }
      do {
        _ = try await fetcher.complete(blockID, writer: writer, from: position, source: source)
      } catch {
        logger.info("Background caching of block \(blockID) stopped: \(error)")
      }
    case .whole(let blockID, let source):
      do {
        try await fetcher.cacheWholeBlock(blockID, source: source)
      } catch {
        logger.info("Background caching of block \(blockID) failed: \(error)")
      }
    }
  }
}
