import GooseFSCore

/// `fs mount` without arguments (Alluxio `UfsCommand.printMountInfo`):
/// `%-<ufsWidth>s  on  %-<pathWidth>s  (<type>, capacity=<c>, used=<u>[(<p>%)], [not ]read-only,
/// [not ]shared, properties={k=v, ...})`. Fluid's `IsMounted` reads whitespace field 3 of every
/// line as the GooseFS path, so there is no header, and the root is included.
enum MountLines {
  static func format(_ mounts: [MountPointInfo]) -> [String] {
    guard !mounts.isEmpty else { return [] }
    let sorted = mounts.sorted { $0.goosefsPath < $1.goosefsPath }
    let ufsWidth = sorted.map(\.ufsURI.count).max() ?? 0
    let pathWidth = sorted.map(\.goosefsPath.count).max() ?? 0
    return sorted.map { mount in
      var used = NumberText.size(mount.ufsUsedBytes)
      if mount.ufsCapacityBytes > 0 {
        used += "(\(100 * mount.ufsUsedBytes / mount.ufsCapacityBytes)%)"
      }
      return Columns.left(mount.ufsURI, ufsWidth) + "  on  " + Columns.left(mount.goosefsPath, pathWidth)
        + "  (\(mount.ufsType), capacity=\(NumberText.size(mount.ufsCapacityBytes)), used=\(used), "
        + "\(mount.readOnly ? "" : "not ")read-only, \(mount.shared ? "" : "not ")shared, "
        + "properties=\(properties(mount.properties)))"
    }
  }

  /// Java `Map.toString` (`{a=1, b=2}`), keys sorted, secrets masked even if the master
  /// already masked them: the output ends up in Fluid's logs.
  static func properties(_ properties: [String: String]) -> String {
    let entries = properties.keys.sorted().map { key in
      "\(key)=\(Configuration.mask(name: key, value: properties[key] ?? ""))"
    }
    return "{" + entries.joined(separator: ", ") + "}"
  }
}
