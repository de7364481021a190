import GooseFSCore

extension FileSystemMaster {
  func getStatus(_ rawPath: String, syncIntervalMs: Int64?, caller: CallerIdentity) async throws -> FileInfo {
    let path = try NamespacePath.normalize(rawPath)
    try await syncPath(path, intervalMs: syncInterval(syncIntervalMs), includeTarget: false)
    return try namespace.read { state in
      let inode = try existing(path, in: state)
      try permissions.checkTraversal(caller, chain: state.existingPrefix(of: path), path: path)
      return state.fileInfo(inode, path: path)
    }
  }

  /// `getStatus` without waiting, for callers on an event loop: nil when it would have to sync a
  /// folder on the way with the under store first (then call `getStatus`).
  func getStatusNow(_ rawPath: String, syncIntervalMs: Int64?, caller: CallerIdentity) throws -> FileInfo? {
    let path = try NamespacePath.normalize(rawPath)
    let interval = syncInterval(syncIntervalMs)
    return try namespace.read { state -> FileInfo? in
      if isSyncDue(above: path, intervalMs: interval, in: state) { return nil }
      let inode = try existing(path, in: state)
      try permissions.checkTraversal(caller, chain: state.existingPrefix(of: path), path: path)
      return state.fileInfo(inode, path: path)
    }
  }

  /// Whether `syncPath(path, includeTarget: false)` would consult the under store: a folder above
  /// `path` is due for a sync. Calls that can be answered without suspending check this first.
  func isSyncDue(above path: String, intervalMs: Int64) -> Bool {
    namespace.read { isSyncDue(above: path, intervalMs: intervalMs, in: $0) }
  }

  private func isSyncDue(above path: String, intervalMs: Int64, in state: borrowing NamespaceState) -> Bool {
    // The folders `syncPath` would visit: every existing one above the target.
    var prefix = NamespacePath.root
    for component in NamespacePath.components(path) {
      guard let folder = state.inode(at: prefix) else { return false }
      if folder.kind == .directory, isSyncDue(folder, intervalMs: intervalMs) { return true }
      prefix = NamespacePath.join(prefix, component)
    }
    return false
  }

  /// Lists a directory (or a file: itself), in pages; recursive listings go parents first.
  func listStatus(
    _ rawPath: String, recursive: Bool, syncIntervalMs: Int64?, pageSize: Int, caller: CallerIdentity,
    onPage: ([FileInfo]) async throws -> Void
  ) async throws {
    let path = try NamespacePath.normalize(rawPath)
    let interval = syncInterval(syncIntervalMs)
    if recursive {
      _ = try await syncTree(path, intervalMs: interval)
    } else {
      try await syncPath(path, intervalMs: interval, includeTarget: true)
    }
    let pageLimit = pageSize > 0 ? pageSize : settings.listPageSize
    // Collect (id, path) pairs first, then build FileInfo page by page so the lock is held briefly.
    let targets: [(Int64, String)] = try namespace.read { state in
      let inode = try existing(path, in: state)
      try checkAccess(caller, inode.kind == .directory ? .read : nil, path: path, in: state)
      guard inode.kind == .directory else { return [(inode.id, path)] }
      var result: [(Int64, String)] = []
      var queue: [(Int64, String)] = [(inode.id, path)]
      var index = 0
      while index < queue.count {
        let (id, parentPath) = queue[index]
        index += 1
        for child in state.childRecords(of: id) {
          let childPath = NamespacePath.join(parentPath, child.name)
          result.append((child.id, childPath))
          if recursive, child.kind == .directory, permissions.allows(caller, .read, on: child) {
            queue.append((child.id, childPath))
          }
        }
      }
      return result
    }
    var start = 0
    repeat {
      let end = min(start + pageLimit, targets.count)
      let page = namespace.read { state in
        targets[start..<end].compactMap { id, childPath in
          state.inodes[id].map { state.fileInfo($0, path: childPath) }
        }
      }
      if !page.isEmpty || targets.isEmpty { try await onPage(page) }
      start = end
    } while start < targets.count
  }
}
