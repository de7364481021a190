import GooseFSCore
import Synchronization

/// An open directory's entries, streamed from the master while the kernel reads them, so that a
/// huge folder is never held whole: at most `window` entries past the kernel's position are kept,
/// and while that many are waiting the listing stream waits too (the master's pages stop at the
/// gRPC flow-control window).
///
/// Positions are listing indexes (the readdir offset minus the two dot entries). The kernel reads
/// one directory handle in order, one request at a time, and only goes back on rewinddir/seekdir:
/// a position before the held entries, or past them once the stream failed (e.g. its deadline
/// passed while nobody read), restarts the listing and skips to the position. Entries added or
/// removed in between may then be missed or repeated, which POSIX allows for a folder changed
/// during readdir.
final class DirectoryListing: Sendable {
  /// Runs one listing of the folder from its start, handing over its pages in order.
  typealias Lister = @Sendable (_ onPage: @escaping @Sendable ([FileInfo]) async throws -> Void) async throws -> Void

  enum Available {
    /// Entries from the asked position on (never empty).
    case entries(ArraySlice<FileInfo>)
    /// The listing ends before the asked position.
    case end
    /// Not here yet: `waitUntilAvailable(at:)` first.
    case wait
  }

  private struct State {
    /// Incremented by every (re)start; pages and endings of older streams are ignored.
    var generation = 0
    /// Listing index of `entries.first`.
    var base = 0
    var entries: [FileInfo] = []
    var finished = false
    var failure: (any Error)?
    /// The position the kernel asked for last; entries before it may be dropped.
    var position = 0
    var stream: Task<Void, Never>?
    var consumer: CheckedContinuation<Void, Never>?
    var producer: CheckedContinuation<Void, Never>?
    var closed = false

    var end: Int { base + entries.count }

    mutating func dropConsumed() {
      let count = min(max(0, position - base), entries.count)
      guard count > 0 else { return }
      entries.removeFirst(count)
      base += count
    }
  }

  private enum Step {
    case ready
    case restart
    case wait
    case fail(any Error)
  }

  let window: Int
  private let lister: Lister
  private let state = Mutex(State())

  init(window: Int, lister: @escaping Lister) {
    precondition(window > 0, "a directory listing window holds at least one entry")
    self.window = window
    self.lister = lister
  }

  /// Starts the listing and waits for its first page, so that a folder that cannot be listed
  /// (missing, not readable) fails opendir.
  func open() async throws {
    state.withLock { state in
      state.generation += 1
      state.stream = startStream(generation: state.generation)
    }
    try await waitUntilAvailable(at: 0)
  }

  /// What can be answered at once for `position`, which becomes the kernel's position (entries
  /// before it may be dropped; asking for them later restarts the listing).
  func available(at position: Int) -> Available {
    let (answer, producer) = state.withLock { state -> (Available, CheckedContinuation<Void, Never>?) in
      guard position >= state.base, state.failure == nil || position < state.end else { return (.wait, nil) }
      state.position = position
      // Dropping from the front moves the rest: do it in batches, not on every request.
      if state.position - state.base >= 1024 { state.dropConsumed() }
      let producer = resumableProducer(&state)
      if position < state.end { return (.entries(state.entries[(position - state.base)...]), producer) }
      return (state.finished ? .end : .wait, producer)
    }
    producer?.resume()
    return answer
  }

  /// Returns once `available(at: position)` has entries or the end; restarts the listing when the
  /// position was dropped or the stream failed after some pages (once: a second failure is thrown).
  func waitUntilAvailable(at position: Int) async throws {
    var restarted = false
    while true {
      let step = state.withLock { state -> Step in
        if state.closed { return .fail(CancellationError()) }
        if position < state.base { return .restart }
        if position < state.end || state.finished { return .ready }
        if let failure = state.failure {
          return restarted || state.generation == 1 && state.base == 0 && state.entries.isEmpty ? .fail(failure) : .restart
        }
        return .wait
      }
      switch step {
      case .ready:
        return
      case .fail(let error):
        throw error
      case .restart:
        restarted = true
        restart(skippingTo: position)
      case .wait:
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
          let producer = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.closed || position < state.base || position < state.end || state.finished || state.failure != nil {
              continuation.resume()
              return nil
            }
            state.consumer?.resume()
            state.consumer = continuation
            state.position = position
            return resumableProducer(&state)
          }
          producer?.resume()
        }
      }
    }
  }

  /// Stops the stream; pending waits end.
  func close() {
    let (stream, consumer, producer) = state.withLock { state in
      state.closed = true
      state.entries = []
      defer { (state.stream, state.consumer, state.producer) = (nil, nil, nil) }
      return (state.stream, state.consumer, state.producer)
    }
    stream?.cancel()
    consumer?.resume()
    producer?.resume()
  }

  // MARK: The stream

  private func restart(skippingTo position: Int) {
    let (old, stale) = state.withLock { state -> (Task<Void, Never>?, [CheckedContinuation<Void, Never>]) in
      let old = state.stream
      let stale = [state.producer, state.consumer].compactMap { $0 }
      state.generation += 1
      state.base = 0
      state.entries = []
      state.finished = false
      state.failure = nil
      state.position = position
      state.producer = nil
      state.consumer = nil
      state.stream = startStream(generation: state.generation)
      return (old, stale)
    }
    old?.cancel()
    stale.forEach { $0.resume() }
  }

  private func startStream(generation: Int) -> Task<Void, Never> {
    // The task inherits the caller's task-locals: the listing runs as the user who opened it.
    Task {
      do {
        try await lister { page in try await self.deliver(page, generation: generation) }
        self.streamEnded(generation: generation, failure: nil)
      } catch {
        self.streamEnded(generation: generation, failure: error)
      }
    }
  }

  private func deliver(_ page: [FileInfo], generation: Int) async throws {
    let consumer = try state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard state.generation == generation, !state.closed else { throw CancellationError() }
      state.entries.append(contentsOf: page)
      state.dropConsumed()
      defer { state.consumer = nil }
      return state.consumer
    }
    consumer?.resume()
    // Hold the stream while the kernel has a window's worth of entries still to read.
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let waiting = state.withLock { state -> Bool in
        guard state.generation == generation, !state.closed, state.end - state.position >= window else { return false }
        state.producer = continuation
        return true
      }
      if !waiting { continuation.resume() }
    }
    let current = state.withLock { $0.generation == generation && !$0.closed }
    if !current { throw CancellationError() }
  }

  private func streamEnded(generation: Int, failure: (any Error)?) {
    let consumer = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard state.generation == generation, !state.closed else { return nil }
      if let failure { state.failure = failure } else { state.finished = true }
      defer { state.consumer = nil }
      return state.consumer
    }
    consumer?.resume()
  }

  /// The stream's continuation if the kernel's position has made room in the window.
  private func resumableProducer(_ state: inout State) -> CheckedContinuation<Void, Never>? {
    guard state.producer != nil, state.end - state.position < window else { return nil }
    defer { state.producer = nil }
    return state.producer
  }
}
