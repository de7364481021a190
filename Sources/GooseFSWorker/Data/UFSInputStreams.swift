import GooseFSCore
import GooseFSUFS
import Synchronization

/// Open under-store input streams, reused across reads of the same file (opening an object costs
/// a round trip; positioned reads on one stream may run concurrently). At most `limit` stay open;
/// the least recently used is closed first.
final class UFSInputStreams: Sendable {
  private struct Entry {
    var stream: any UFSInputStream
    var lastUse: UInt64
  }
  private let limit: Int
  private let entries = Mutex<(map: [String: Entry], clock: UInt64)>(([:], 0))

  init(limit: Int = 64) {
    self.limit = limit
  }

  func stream(mountID: Int64, path: String, ufs: any UnderFileSystem) async throws -> any UFSInputStream {
    let key = "\(mountID)|\(path)"
    if let stream = entries.withLock({ state -> (any UFSInputStream)? in
      state.clock += 1
      state.map[key]?.lastUse = state.clock
      return state.map[key]?.stream
    }) {
      return stream
    }
    let opened = try await ufs.openRead(path)
    let (stream, evicted) = entries.withLock { state -> (any UFSInputStream, [any UFSInputStream]) in
      state.clock += 1
      // Another read opened the file meanwhile and may be reading from its stream right now:
      // use that one and close ours (closing theirs failed their read with "already closed").
      if let existing = state.map[key] {
        state.map[key]?.lastUse = state.clock
        return (existing.stream, [opened])
      }
      var closed: [any UFSInputStream] = []
      state.map[key] = Entry(stream: opened, lastUse: state.clock)
      while state.map.count > limit, let oldest = state.map.min(by: { $0.value.lastUse < $1.value.lastUse }) {
        closed.append(oldest.value.stream)
        state.map[oldest.key] = nil
      }
      return (opened, closed)
    }
    for stream in evicted { await stream.close() }
    return stream
  }

  /// Drops a stream that failed, so the next read reopens the file.
  func discard(mountID: Int64, path: String) async {
    let removed = entries.withLock { $0.map.removeValue(forKey: "\(mountID)|\(path)")?.stream }
    await removed?.close()
  }

  func closeAll() async {
    let all = entries.withLock { state -> [any UFSInputStream] in
      defer { state.map = [:] }
      return state.map.values.map(\.stream)
    }
    for stream in all { await stream.close() }
  }
}
