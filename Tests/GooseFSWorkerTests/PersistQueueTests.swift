import GooseFSRPC
import Testing

@testable import GooseFSWorker

/// goosefs.worker.persist.queue.max: the queue takes at most `capacity` files and says which it
/// refused (the heartbeat hands those back to the master), never growing with what it is sent.
@Suite struct PersistQueueTests {
  static func job(_ fileID: Int64) -> Goosefs_Grpc_PersistCommand {
    .with {
      $0.fileID = fileID
      $0.path = "/file\(fileID)"
    }
  }

  @Test func filesBeyondTheCapacityAreRefusedAndDuplicatesIgnored() {
    let queue = PersistQueue(capacity: 3)
    #expect((1...3).map { queue.submit(Self.job($0)) } == [.queued, .queued, .queued])
    #expect(queue.submit(Self.job(2)) == .duplicate, "already queued: nothing to hand back")
    #expect((4...1000).map { queue.submit(Self.job($0)) }.allSatisfy { $0 == .full })
    queue.finishInput()
  }
}
