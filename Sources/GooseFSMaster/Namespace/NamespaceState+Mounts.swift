import GooseFSCore

/// Where a GooseFS path lives in the under stores.
struct ResolvedPath: Sendable {
  var mount: MountRecord
  /// The full under-store location of the path.
  var ufsPath: String
}

extension NamespaceState {
  /// The mount that holds `path`: the one with the longest GooseFS path that is a prefix of it.
  func mount(containing path: String) -> MountRecord? {
    mounts.values
      .filter { NamespacePath.isSelfOrDescendant(path, of: $0.goosefsPath) }
      .max { $0.goosefsPath.count < $1.goosefsPath.count }
  }

  func mount(at path: String) -> MountRecord? {
    mounts.values.first { $0.goosefsPath == path }
  }

  func resolve(_ path: String) -> ResolvedPath? {
    guard let mount = mount(containing: path) else { return nil }
    let suffix = mount.goosefsPath == NamespacePath.root ? path : String(path.dropFirst(mount.goosefsPath.count))
    return ResolvedPath(mount: mount, ufsPath: Self.joinUFS(mount.ufsUri, suffix))
  }

  static func joinUFS(_ base: String, _ suffix: String) -> String {
    let trimmedSuffix = suffix == "/" ? "" : suffix
    guard !trimmedSuffix.isEmpty else { return base }
    var trimmedBase = Substring(base)
    while trimmedBase.hasSuffix("/") { trimmedBase = trimmedBase.dropLast() }
    return trimmedBase + trimmedSuffix
  }
}
