import GooseFSCore
import Synchronization
import Testing

@testable import GooseFSClient

/// The write-behind queue of file completions: jobs run one at a time in order, calls on a path
/// wait for that path's jobs (or those under a folder), failures reach the next waiter once.
@Suite(.timeLimit(.minutes(5))) struct CompletionsBehindTests {
  /// A job body that records what ran and holds each job until the test lets it go.
  final class Gate: Sendable {
    private let state = Mutex<(ran: [String], open: Set<String>, waiting: [String: CheckedContinuation<Void, Never>])>(
      ([], [], [:]))

    func run(_ job: CompletionsBehind.Job) async throws {
      await withCheckedContinuation { continuation in
        let go = state.withLock { state -> Bool in
          if state.open.contains(job.path) { return true }
          state.waiting[job.path] = continuation
          return false
        }
        if go { continuation.resume() }
      }
      state.withLock { $0.ran.append(job.path) }
      if job.path.hasSuffix("bad") { throw GooseFSError(.notFound, "Path \(job.path) does not exist.") }
    }

    func open(_ path: String) {
      let waiter = state.withLock { state in
        state.open.insert(path)
        return state.waiting.removeValue(forKey: path)
      }
      waiter?.resume()
    }

    var ran: [String] { state.withLock { $0.ran } }
  }

  func enqueue(_ queue: CompletionsBehind, _ path: String, _ gate: Gate) async {
    await queue.enqueue(path: path, length: 1, ufsFingerprint: "", schedulePersist: false) { try await gate.run($0) }
  }

  @Test func settleWaitsForThePathsJobsAndTheJobsRunInOrder() async throws {
    let queue = CompletionsBehind()
    let gate = Gate()
    for path in ["/d/a", "/d/b", "/e/c"] { await enqueue(queue, path, gate) }
    await queue.settle("/x", subtree: true)  // nothing queued there: returns at once
    let settled = Mutex(false)
    let waiter = Task {
      await queue.settle("/d/b", subtree: false)
      settled.withLock { $0 = true }
    }
    gate.open("/d/b")  // b may run only after a
    gate.open("/e/c")
    for _ in 0..<100 { await Task.yield() }  // room for a wrong queue to run b or c first
    #expect(gate.ran.isEmpty, "a job ran before the one queued first")
    #expect(!settled.withLock { $0 })
    gate.open("/d/a")
    await waiter.value
    #expect(Array(gate.ran.prefix(2)) == ["/d/a", "/d/b"])
    await queue.settle("/", subtree: true)
    #expect(gate.ran == ["/d/a", "/d/b", "/e/c"])
  }

  @Test func aFailedCompletionIsReportedOnceToAWaiterOnItsFolder() async throws {
    let queue = CompletionsBehind()
    let gate = Gate()
    for path in ["/d/ok", "/d/bad", "/other/ok"] {
      gate.open(path)
      await enqueue(queue, path, gate)
    }
    #expect(await queue.failure(under: "/other") == nil)
    let failure = await queue.failure(under: "/d")
    #expect(failure?.code == .notFound)
    #expect(failure?.message.contains("/d/bad") == true)
    #expect(await queue.failure(under: "/d") == nil, "reported once")
  }

  @Test func subtreeMatchingNeedsASeparator() {
    #expect(CompletionsBehind.matches("/data/x", "/data", subtree: true))
    #expect(!CompletionsBehind.matches("/database", "/data", subtree: true))
    #expect(!CompletionsBehind.matches("/data/x", "/data", subtree: false))
    #expect(CompletionsBehind.matches("/anything", "/", subtree: true))
  }
}
