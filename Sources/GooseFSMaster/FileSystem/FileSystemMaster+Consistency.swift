import GooseFSCore
import GooseFSRPC

extension FileSystemMaster {
  /// Compares persisted metadata under `path` with the under store. With `repair`, re-syncs the
  /// inconsistent paths (interval 0), which reloads or drops them.
  func checkConsistency(_ rawPath: String, repair: Bool, caller: CallerIdentity) async throws -> (paths: [String], repaired: Int64) {
    let path = try NamespacePath.normalize(rawPath)
    try await syncPath(path, intervalMs: settings.defaultSyncIntervalMs, includeTarget: false)
    let candidates = try namespace.read { state -> [(String, InodeRecord, ResolvedPath)] in
      let inode = try existing(path, in: state)
      try checkAccess(caller, .read, path: path, in: state)
      return state.subtree(of: inode.id).compactMap { record in
        let recordPath = state.path(of: record.id)
        guard record.persistenceState == .persisted, let resolved = state.resolve(recordPath) else { return nil }
        return (recordPath, record, resolved)
      }
    }
    var inconsistent: [String] = []
    for (recordPath, record, resolved) in candidates {
      let ufs = try ufsManager.client(for: resolved.mount)
      let status = try await ufs.status(resolved.ufsPath)
      let matches: Bool =
        if let status {
          status.isDirectory == (record.kind == .directory)
            && (status.isDirectory
              || ContentFingerprint.matches(recordedFingerprint: record.ufsFingerprint, recordedLength: record.length, status: status))
        } else {
          false
        }
      if !matches { inconsistent.append(recordPath) }
    }
    var repaired: Int64 = 0
    if repair {
      for inconsistentPath in inconsistent {
        let parent = NamespacePath.parent(inconsistentPath) ?? NamespacePath.root
        try await syncDirectory(parent, intervalMs: 0)
        repaired += 1
      }
    }
    return (inconsistent, repaired)
  }

  /// Counters for `fsadmin report metrics`.
  func namespaceMetrics() -> [MetricValue] {
    namespace.read { state in
      var files = 0
      var completed = 0
      var directories = 0
      var pinned = 0
      for inode in state.inodes.values {
        switch inode.kind {
        case .directory: directories += 1
        default:
          files += 1
          if inode.completed { completed += 1 }
        }
        if inode.pinned { pinned += 1 }
      }
      return [
        MetricValue(name: "Master.FilesCompleted", kind: .counter, value: Double(completed)),
        MetricValue(name: "Master.TotalPaths", kind: .gauge, value: Double(files + directories)),
        MetricValue(name: "Master.FilesPinned", kind: .gauge, value: Double(pinned)),
        MetricValue(name: "Master.DirectoriesCreated", kind: .counter, value: Double(directories)),
        MetricValue(name: "Master.MountPoints", kind: .gauge, value: Double(state.mounts.count)),
      ]
    }
  }
}
