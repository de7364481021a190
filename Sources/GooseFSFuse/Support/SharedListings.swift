import Synchronization

/// One listing per folder at a time: lookups that miss in the same folder together wait for the
/// same listing instead of each starting one.
final class SharedListings: Sendable {
  private let running = Mutex<[String: Task<Void, any Error>]>([:])

  func run(_ folder: String, _ list: @escaping @Sendable () async throws -> Void) async throws {
    let task = running.withLock { running in
      if let task = running[folder] { return task }
      let task = Task {
        defer { _ = self.running.withLock { $0.removeValue(forKey: folder) } }
        try await list()
      }
      running[folder] = task
      return task
    }
    try await task.value
  }
}
