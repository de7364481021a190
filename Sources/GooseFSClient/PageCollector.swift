import GooseFSCore
import Synchronization

/// Accumulates streamed listing pages; the callback is @Sendable, hence the lock.
final class PageCollector: Sendable {
  private let storage = Mutex<[FileInfo]>([])

  func append(_ page: [FileInfo]) {
    storage.withLock { $0.append(contentsOf: page) }
  }

  var items: [FileInfo] { storage.withLock { $0 } }
}
