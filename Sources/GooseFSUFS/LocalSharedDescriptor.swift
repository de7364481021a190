import GooseFSCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file descriptor used by concurrent calls while another call may close it.
///
/// The descriptor is only closed once no call is using it: closing under a running `pread` would
/// let the kernel hand the same number to an unrelated open, and the read would hit that file.
final class LocalSharedDescriptor: Sendable {
  private struct State {
    var descriptor: Int32
    var users = 0
    var closeRequested = false
  }

  private let state: Mutex<State>
  private let display: String

  init(_ descriptor: Int32, display: String) {
    self.state = Mutex(State(descriptor: descriptor))
    self.display = display
  }

  /// Runs `body` with the open descriptor; throws `.failedPrecondition` once closed.
  func withDescriptor<T>(_ body: (Int32) throws -> T) throws -> T {
    let descriptor = try state.withLock { state -> Int32 in
      guard !state.closeRequested else {
        throw GooseFSError(.failedPrecondition, "Stream for \"\(display)\" is already closed.")
      }
      state.users += 1
      return state.descriptor
    }
    defer { release() }
    return try body(descriptor)
  }

  /// Requests the close; it happens now, or when the last running call finishes.
  /// Returns false when the close had already been requested.
  @discardableResult
  func close() -> Bool {
    let (first, closeNow) = state.withLock { state -> (Bool, Int32?) in
      guard !state.closeRequested else { return (false, nil) }
      state.closeRequested = true
      return (true, state.users == 0 ? state.descriptor : nil)
    }
    if let closeNow { systemClose(closeNow) }
    return first
  }

  private func release() {
    let closeNow = state.withLock { state -> Int32? in
      state.users -= 1
      return state.closeRequested && state.users == 0 ? state.descriptor : nil
    }
    if let closeNow { systemClose(closeNow) }
  }

  deinit {
    // Last resort for a stream dropped without close; no call can be running at this point.
    let leaked = state.withLock { $0.closeRequested ? nil : $0.descriptor }
    if let leaked { systemClose(leaked) }
  }
}
