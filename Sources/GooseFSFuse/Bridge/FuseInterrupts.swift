import CGooseFSFuse
import Synchronization

/// The requests being worked on, so that a FUSE interrupt (the caller got a signal: Ctrl-C, or
/// `kill -9` of a process blocked in a read) cancels the task doing that request's work, which
/// then replies `EINTR`. Entries are found by a number of our own, never by pointer: libfuse may
/// call the interrupt callback while (or just after) the request is answered, and a stale number
/// simply finds nothing.
final class FuseInterrupts: Sendable {
  private enum Entry {
    /// Registered, its task not started yet; `interrupted` when the interrupt came first.
    case waiting(interrupted: Bool)
    case running(Task<Void, Never>, interrupted: Bool)
  }

  private struct State {
    var entries: [UInt: Entry] = [:]
    var next: UInt = 1
  }

  private let state = Mutex(State())

  /// Registers `request` for interrupts and returns its number. libfuse calls the callback at
  /// once if the request was interrupted already.
  func register(_ request: FuseRequest) -> UInt {
    let id = state.withLock { state in
      let id = state.next
      state.next &+= 1
      if state.next == 0 { state.next = 1 }  // 0 would be a null pointer
      state.entries[id] = .waiting(interrupted: false)
      return id
    }
    fuse_req_interrupt_func(request.raw, fuseInterruptCallback, UnsafeMutableRawPointer(bitPattern: id))
    return id
  }

  /// The request's work started as `task`; it is cancelled now if the interrupt came first.
  /// The task may have finished already (it starts running before its creator gets here).
  func started(_ id: UInt, _ task: Task<Void, Never>) {
    let cancelNow = state.withLock { state -> Bool in
      switch state.entries[id] {
      case .waiting(let interrupted):
        state.entries[id] = .running(task, interrupted: interrupted)
        return interrupted
      case nil:
        return false
      case .running:
        preconditionFailure("request \(id) started twice")
      }
    }
    if cancelNow { task.cancel() }
  }

  /// The request was answered; a later interrupt for it is ignored. Returns whether it was
  /// interrupted.
  @discardableResult
  func finished(_ id: UInt) -> Bool {
    switch state.withLock({ $0.entries.removeValue(forKey: id) }) {
    case .waiting(let interrupted), .running(_, let interrupted): interrupted
    case nil: preconditionFailure("request \(id) finished twice")
    }
  }

  /// Requests registered and not finished.
  var count: Int { state.withLock { $0.entries.count } }

  /// From libfuse's interrupt callback, on a libfuse thread.
  func interrupt(_ id: UInt) {
    let task = state.withLock { state -> Task<Void, Never>? in
      switch state.entries[id] {
      case .waiting:
        state.entries[id] = .waiting(interrupted: true)
        return nil
      case .running(let task, _):
        state.entries[id] = .running(task, interrupted: true)
        return task
      case nil:
        return nil  // answered already
      }
    }
    // Outside the lock: cancellation handlers run synchronously here.
    task?.cancel()
  }
}

/// A C function (no captures): the daemon comes from the request's userdata, the entry from the
/// number registered with it.
private func fuseInterruptCallback(_ request: fuse_req_t?, _ data: UnsafeMutableRawPointer?) {
  guard let request, let userdata = fuse_req_userdata(request) else { return }
  let operations = Unmanaged<FuseOperations>.fromOpaque(userdata).takeUnretainedValue()
  operations.interrupts.interrupt(UInt(bitPattern: data))
}
