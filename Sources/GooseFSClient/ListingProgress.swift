import Synchronization

/// Remembers whether a streamed listing already handed pages to the caller, which decides whether
/// a failed stream may be retried from the start.
final class ListingProgress: Sendable {
  private let flag = Atomic<Bool>(false)

  func markDelivered() {
    flag.store(true, ordering: .relaxed)
  }

  var delivered: Bool { flag.load(ordering: .relaxed) }
}
