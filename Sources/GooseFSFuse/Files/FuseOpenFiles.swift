import GooseFSCore
import Synchronization

/// One `open`/`create` of a file: what the kernel's `fh` stands for.
final class FuseHandle: Sendable {
  let node: UInt64
  /// Reads, writes, flushes and the release of this handle, in the kernel's order.
  let queue = SerialJobQueue()
  let writer: FuseFileWriter?
  let reader: Mutex<FuseFileReader?>
  /// The writer's version the reader was opened at (a commit makes older readers stale).
  let readerVersion = Mutex(0)

  init(node: UInt64, writer: FuseFileWriter?) {
    self.node = node
    self.writer = writer
    self.reader = Mutex(nil)
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
  }

  private let state = Mutex(State())

  func add(_ handle: FuseHandle) -> UInt64 {
    state.withLock { state in
      let id = state.nextHandle
      state.nextHandle += 1
      state.handles[id] = handle
      return id
    }
  }

  func handle(_ id: UInt64) -> FuseHandle? { state.withLock { $0.handles[id] } }

  func remove(_ id: UInt64) -> FuseHandle? { state.withLock { $0.handles.removeValue(forKey: id) } }

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
