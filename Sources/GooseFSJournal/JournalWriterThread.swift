import Foundation
import Logging

/// The dedicated thread that turns queued frames into durable bytes. A real thread, not a task:
/// it spends its life in blocking `write`/`fsync` calls, which must never occupy one of the few
/// threads of Swift's cooperative pool.
///
/// Group commit falls out of the loop shape: while one batch is being fsynced, new appends pile
/// up in the queue, and the next iteration writes and syncs all of them at once.
enum JournalWriterThread {
  static func start(queue: CommitQueue, sink configuration: SegmentSink.Configuration) {
    let thread = Thread {
      run(queue: queue, sink: SegmentSink(configuration), logger: configuration.logger)
    }
    thread.name = "goosefs-journal-writer"
    thread.start()
  }

  private static func run(queue: CommitQueue, sink: SegmentSink, logger: Logger) {
    var batch: [UInt8] = []
    while let work = queue.nextWork(swappingInto: &batch) {
      do {
        if let failure = work.injectedFailure { throw failure }
        // Compaction first, so that the new entries start the fresh segment instead of keeping
        // the covered one alive.
        if let covered = work.compactionThrough {
          try sink.compact(coveredThrough: covered)
          queue.compactionFinished(ticket: work.compactionTicket)
        }
        if !batch.isEmpty {
          try sink.append(batch)
          try sink.sync()
          queue.markDurable(work.lastSequence)
        }
      } catch {
        logger.critical("Journal writer stopped: \(error)")
        queue.fail(error)
        break
      }
      batch.removeAll(keepingCapacity: true)
    }
    sink.close()
    queue.writerDidExit()
  }
}
