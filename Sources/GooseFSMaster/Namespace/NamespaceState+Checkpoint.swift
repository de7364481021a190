import GooseFSCore
import GooseFSRPC

extension NamespaceState {
  /// A snapshot of the whole state; restoring it gives back an equal state.
  func checkpoint() -> NamespaceCheckpoint {
    var checkpoint = NamespaceCheckpoint()
    if let clusterInfo { checkpoint.clusterInfo = clusterInfo }
    checkpoint.nextInodeID = nextInodeID
    checkpoint.nextBlockContainerID = nextBlockContainerID
    checkpoint.nextMountID = nextMountID
    if let rootID { checkpoint.inodes = subtree(of: rootID) }
    checkpoint.mounts = mounts.values.sorted { $0.mountID < $1.mountID }
    return checkpoint
  }

  init(checkpoint: NamespaceCheckpoint) throws {
    self.init()
    if checkpoint.hasClusterInfo {
      try apply(.with { $0.clusterInfo = checkpoint.clusterInfo })
    }
    for inode in checkpoint.inodes {
      try apply(.with { $0.upsertInode = inode })
    }
    for mount in checkpoint.mounts {
      try apply(.with { $0.upsertMount = mount })
    }
    raiseCounters(
      inode: checkpoint.nextInodeID, blockContainer: checkpoint.nextBlockContainerID,
      mount: checkpoint.nextMountID)
  }
}
