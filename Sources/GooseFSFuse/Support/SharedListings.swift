import GooseFSCore
import GooseFSClient
import Synchronization

/// One listing per folder and caller at a time: lookups by the same user that miss in the same
/// folder together wait for the same listing instead of each starting one. Callers with another
/// identity never join it: the master checks permission per caller, so a second user must get
/// its own answer, not the first user's `EACCES` (nor a listing the first user could read and
/// it cannot).
final class SharedListings: Sendable {
  private struct Key: Hashable {
    var folder: String
    var user: String
    var groups: [String]
  }

  private let running = Mutex<[Key: Task<Void, any Error>]>([:])

  /// Runs `list` as `caller` (the master sees that identity whatever task started the listing),
  /// or waits for the run already going for the same folder and caller.
  func run(
    _ folder: String, as caller: CallerIdentity, _ list: @escaping @Sendable () async throws -> Void
  ) async throws {
    let key = Key(folder: folder, user: caller.user, groups: caller.groups)
    let task = running.withLock { running in
      if let task = running[key] { return task }
      // Unstructured on purpose: it belongs to every waiter, so one waiter's cancellation
      // (an interrupted lookup) must not cancel the others' listing.
      let task = Task {
        defer { _ = self.running.withLock { $0.removeValue(forKey: key) } }
        try await MasterConnection.$actingCaller.withValue(caller) { try await list() }
      }
      running[key] = task
      return task
    }
    try await task.value
  }
}
