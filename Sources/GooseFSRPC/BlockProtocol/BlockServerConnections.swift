import NIOConcurrencyHelpers
import NIOCore

/// The open connections of one server and whether each is between requests, so that a graceful
/// close can end the idle ones at once and the busy ones when their exchange is over.
final class BlockServerConnections: Sendable {
  private struct Entry {
    var channel: any Channel
    var busy: Bool
  }

  private struct State {
    var nextID: UInt64 = 0
    var entries: [UInt64: Entry] = [:]
    var closing = false
  }

  private let state = NIOLockedValueBox(State())

  /// Returns the connection's id, whether the server is already closing (then the caller ends
  /// the connection right away), and how many connections are open with this one.
  func register(_ channel: any Channel) -> (id: UInt64, closing: Bool, open: Int) {
    state.withLockedValue { state in
      state.nextID += 1
      state.entries[state.nextID] = Entry(channel: channel, busy: false)
      return (state.nextID, state.closing, state.entries.count)
    }
  }

  func remove(_ id: UInt64) {
    _ = state.withLockedValue { $0.entries.removeValue(forKey: id) }
  }

  func markBusy(_ id: UInt64) {
    state.withLockedValue { $0.entries[id]?.busy = true }
  }

  /// Returns true when the server is closing: the connection should end now that it is idle.
  func markIdle(_ id: UInt64) -> Bool {
    state.withLockedValue { state in
      state.entries[id]?.busy = false
      return state.closing
    }
  }

  /// Starts a graceful close; returns the channels that are idle now.
  func beginClosing() -> [any Channel] {
    state.withLockedValue { state in
      state.closing = true
      return state.entries.values.filter { !$0.busy }.map(\.channel)
    }
  }

  var count: Int { state.withLockedValue { $0.entries.count } }

  var channels: [any Channel] { state.withLockedValue { $0.entries.values.map(\.channel) } }
}

extension Channel {
  /// Half-closes the connection once the frames already queued are on the wire, so the peer gets
  /// every byte and then EOF (a well-behaved peer closes in turn); after `linger` the connection
  /// is closed whatever the peer does.
  func shutDownOutputThenClose(linger: TimeAmount) {
    eventLoop.scheduleTask(in: linger) { [self] in close(promise: nil) }
    close(mode: .output, promise: nil)
  }

  /// Waits until the frames already queued are on the wire (at most `linger`) and half-closes.
  func drainAndShutDownOutput(linger: TimeAmount) async {
    let fallback = eventLoop.scheduleTask(in: linger) { [self] in close(promise: nil) }
    // A failure means the connection is already closed, which is where this was going anyway.
    _ = try? await close(mode: .output).get()
    fallback.cancel()
  }
}
