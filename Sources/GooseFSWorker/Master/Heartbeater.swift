import GooseFSCore
import GooseFSRPC

/// Sends a heartbeat every `goosefs.worker.block.heartbeat.interval` and carries out what the
/// master answers: delete freed blocks, protect pinned files, persist files.
struct Heartbeater: Sendable {
  let context: WorkerContext

  func run() async {
    var failures = 0
    while !Task.isCancelled {
      do {
        if let response = try await context.master.beat(store: context.store) {
          await apply(response)
        }
        if failures > 0 { context.logger.info("Heartbeats to the master work again.") }
        failures = 0
      } catch {
        failures += 1
        // One line per outage, not one per beat.
        if failures == 1 { context.logger.warning("Heartbeat to the master failed: \(error)") }
      }
      try? await Task.sleep(for: context.settings.heartbeatInterval)
    }
  }

  func apply(_ response: Goosefs_Grpc_WorkerHeartbeatResponse) async {
    for blockID in response.freeBlockIds {
      do {
        try await context.store.remove(blockID)
      } catch let error as GooseFSError where error.code == .notFound {
        continue
      } catch {
        context.logger.warning("Could not free block \(blockID): \(error)")
      }
    }
    context.store.setPinnedContainers(Set(response.pinnedContainers))
    for job in response.persist where context.persists.submit(job) == .full {
      // The master hands a refused job out again (to this or another worker) at a later beat.
      let reason = "worker \(context.settings.hostname) has \(context.persists.capacity) persist jobs queued already (goosefs.worker.persist.queue.max)"
      do {
        try await context.master.commitPersist(fileID: job.fileID, fingerprint: "", failure: reason)
      } catch {
        context.logger.warning("Could not hand persist job \(job.path) back to the master: \(error)")
      }
    }
  }
}
