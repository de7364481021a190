import GooseFSCore
import Synchronization

/// One `open`/`create` of a file: what the kernel's `fh` stands for.
final class FuseHandle: Sendable {
  let node: UInt64
  /// Reads, writes, flushes and the release of this handle, in the kernel's order.
  let queue: SerialJobQueue
  let writer: FuseFileWriter?
  let reader: Mutex<FuseFileReader?>
  /// The writer's version the reader was opened at (a commit makes older readers stale).
  let readerVersion = Mutex(0)
  /// The status `open` found (from the metadata cache or the master), for the reader to open
  /// its stream without asking again; taken by the first reader.
  let openedStatus: Mutex<FileInfo?>

  init(node: UInt64, writer: FuseFileWriter?, queueLimit: Int, openedStatus: FileInfo? = nil) {
    self.node = node
    self.queue = SerialJobQueue(limit: queueLimit)
    self.writer = writer
    self.reader = Mutex(nil)
    self.openedStatus = Mutex(openedStatus)
  }
}

/// Open handles by `fh`, and the writer each written file shares among its handles.
final class FuseOpenFiles: Sendable {
  private struct Shared {
    var writer: FuseFileWriter
    var handles: Int
  }

  private struct State {
    var handles: [UInt64: FuseHandle] = [:]
    var writers: [UInt64: Shared] = [:]
    var nextHandle: UInt64 = 1
    /// Open handles per node.
    var openCount: [UInt64: Int] = [:]
    /// Nodes unlinked while open: renamed to a hidden path, removed at the last close.
    var hidden: [UInt64: String] = [:]
  }

  private let state = Mutex(State())

  func add(_ handle: FuseHandle) -> UInt64 {
    state.withLock { state in
      let id = state.nextHandle
      state.nextHandle += 1
      state.handles[id] = handle
      state.openCount[handle.node, default: 0] += 1
      return id
    }
  }

  func handle(_ id: UInt64) -> FuseHandle? { state.withLock { $0.handles[id] } }

  /// Forgets a handle; `hiddenPath` is set when it was the last one of a node unlinked while open.
  func remove(_ id: UInt64) -> (handle: FuseHandle, hiddenPath: String?)? {
    state.withLock { state in
      guard let handle = state.handles.removeValue(forKey: id) else { return nil }
      let remaining = (state.openCount[handle.node] ?? 1) - 1
      guard remaining == 0 else {
        state.openCount[handle.node] = remaining
        return (handle, nil)
      }
      state.openCount[handle.node] = nil
      return (handle, state.hidden.removeValue(forKey: handle.node))
    }
  }

  func isOpen(_ node: UInt64) -> Bool { state.withLock { ($0.openCount[node] ?? 0) > 0 } }

  /// Records that `node` now lives at the hidden `path` until its last close; false (nothing
  /// recorded) when its last handle was released meanwhile: then the caller removes it.
  func hide(_ node: UInt64, at path: String) -> Bool {
    state.withLock { state in
      guard (state.openCount[node] ?? 0) > 0 else { return false }
      state.hidden[node] = path
      return true
    }
  }

  /// The writer of `node`, made by `make` if no handle writes it yet; counts one more handle.
  func attachWriter(_ node: UInt64, make: () -> FuseFileWriter) -> FuseFileWriter {
    state.withLock { state in
      if var shared = state.writers[node] {
        shared.handles += 1
        state.writers[node] = shared
        return shared.writer
      }
      let writer = make()
      state.writers[node] = Shared(writer: writer, handles: 1)
      return writer
    }
  }

  /// One handle less; true when it was the writer's last.
  func detachWriter(_ writer: FuseFileWriter) -> Bool {
    state.withLock { state in
      guard var shared = state.writers[writer.node], shared.writer === writer else { return false }
      shared.handles -= 1
      if shared.handles == 0 {
        state.writers[writer.node] = nil
        return true
      }
      state.writers[writer.node] = shared
      return false
    }
  }

  func writer(of node: UInt64) -> FuseFileWriter? { state.withLock { $0.writers[node]?.writer } }
}
