import Synchronization

/// The kernel's node ids and the GooseFS paths they stand for. Ids are ours, not the master's
/// inode ids: a file rewritten by a commit gets a new inode in the master but must keep the node
/// the kernel already knows. A node lives while the kernel holds lookups on it (FUSE's lookup
/// count); the root never goes away.
final class FuseNodeTable: Sendable {
  static let rootNode: UInt64 = 1

  private struct Node {
    var path: String
    var lookups: UInt64
  }

  private struct State {
    var nodes: [UInt64: Node] = [:]
    var byPath: [String: UInt64] = [:]
    var nextNode: UInt64 = 2
  }

  private let state: Mutex<State>
  let rootPath: String

  init(rootPath: String) {
    self.rootPath = rootPath
    var initial = State()
    initial.nodes[Self.rootNode] = Node(path: rootPath, lookups: 1)
    initial.byPath[rootPath] = Self.rootNode
    state = Mutex(initial)
  }

  func path(of node: UInt64) -> String? {
    state.withLock { $0.nodes[node]?.path }
  }

  func childPath(of parent: UInt64, name: String) -> String? {
    guard let parentPath = path(of: parent) else { return nil }
    return Self.join(parentPath, name)
  }

  static func join(_ parent: String, _ name: String) -> String {
    parent == "/" ? "/" + name : parent + "/" + name
  }

  /// The node for `path`, counting one more kernel reference (`lookup`, `create`, `mkdir`,
  /// readdirplus entries).
  func reference(_ path: String) -> UInt64 {
    state.withLock { state in
      if let node = state.byPath[path] {
        state.nodes[node]!.lookups += 1
        return node
      }
      let node = state.nextNode
      state.nextNode += 1
      state.nodes[node] = Node(path: path, lookups: 1)
      state.byPath[path] = node
      return node
    }
  }

  /// The node `path` has or will get, without a reference (for readdirplus, which counts only
  /// entries that fit in the reply).
  func peek(_ path: String) -> UInt64? {
    state.withLock { $0.byPath[path] }
  }

  /// The kernel dropped `count` references.
  func forget(_ node: UInt64, count: UInt64) {
    guard node != Self.rootNode else { return }
    state.withLock { state in
      guard var entry = state.nodes[node] else { return }
      entry.lookups = entry.lookups > count ? entry.lookups - count : 0
      if entry.lookups == 0 {
        state.nodes[node] = nil
        if state.byPath[entry.path] == node { state.byPath[entry.path] = nil }
      } else {
        state.nodes[node] = entry
      }
    }
  }

  /// `path` no longer names its node (unlinked, or replaced by a rename); the node keeps its
  /// path for open handles but new lookups of the path get a new node.
  func detach(_ path: String) {
    state.withLock { state in _ = state.byPath.removeValue(forKey: path) }
  }

  /// Moves a node and everything under it.
  func rename(_ source: String, to destination: String) {
    state.withLock { state in
      // A replaced destination's node keeps its path until forgotten; lookups get the moved node.
      state.byPath.removeValue(forKey: destination)
      let prefix = source + "/"
      var moved: [(UInt64, String)] = []
      for (path, node) in state.byPath where path == source || path.hasPrefix(prefix) {
        moved.append((node, destination + path.dropFirst(source.count)))
      }
      for (node, newPath) in moved {
        let oldPath = state.nodes[node]!.path
        state.byPath[oldPath] = nil
        state.nodes[node]!.path = newPath
      }
      for (node, newPath) in moved { state.byPath[newPath] = node }
    }
  }
}
