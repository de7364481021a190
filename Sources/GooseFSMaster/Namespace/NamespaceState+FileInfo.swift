import GooseFSCore
import GooseFSRPC

extension NamespaceState {
  /// What a client sees of an inode at `path`.
  func fileInfo(_ inode: InodeRecord, path: String) -> FileInfo {
    let resolved = resolve(path)
    let mountPoint = mount(at: path)
    let kind = InodeKind(inode.kind)
    var info = FileInfo(
      fileID: inode.id, name: inode.name, path: path, ufsPath: resolved?.ufsPath ?? "", kind: kind,
      length: kind == .directory ? Int64(childCount(of: inode.id)) : inode.length,
      blockSizeBytes: inode.blockSizeBytes, creationTimeMs: inode.creationTimeMs,
      lastModificationTimeMs: inode.lastModificationTimeMs,
      lastAccessTimeMs: inode.lastModificationTimeMs, completed: inode.completed, pinned: inode.pinned,
      cacheable: inode.cacheable, persistenceState: PersistenceState(inode.persistenceState),
      blockIDs: inode.blockIds, ttlMs: inode.ttlMs, ttlAction: TTLAction(inode.ttlAction),
      owner: inode.owner, group: inode.group, mode: inode.mode, isMountPoint: mountPoint != nil,
      mountID: (mountPoint ?? resolved?.mount)?.mountID ?? 0, inMemoryPercentage: 0,
      inGooseFSPercentage: 0, ufsFingerprint: inode.ufsFingerprint,
      replicationMin: inode.replicationMin, replicationMax: inode.replicationMax,
      symlinkTarget: inode.symlinkTarget, childCount: Int64(childCount(of: inode.id))
    )
    info.blockContainerID = inode.blockContainerID
    return info
  }
}

enum BlockIDs {
  /// Alluxio's layout: a file's blocks share a container id in the high bits, the index is low.
  static func forFile(containerID: Int64, length: Int64, blockSize: Int64) -> [Int64] {
    guard length > 0, blockSize > 0 else { return [] }
    let count = (length + blockSize - 1) / blockSize
    return (0..<count).map { BlockID.make(container: containerID, index: $0) }
  }
}
