import Foundation
import GooseFSCore
import GooseFSRPC
import GooseFSUFS

extension FileSystemMaster {
  /// First start of a journal: a new cluster id. Every start: a root inode, and the root mount
  /// as configuration says (configuration wins over what the journal remembers, as in GooseFS).
  func bootstrap(rootUFS: String, rootOptions: [String: String], readOnly: Bool, shared: Bool, superuser: CallerIdentity) async throws {
    let ufs = try ufsManager.create(uri: rootUFS, options: rootOptions)
    let rootStatus = try await ufs.status(rootUFS)
    guard let rootStatus, rootStatus.isDirectory else {
      throw GooseFSError(
        .invalidArgument,
        "The root under store \(rootUFS) (goosefs.master.mount.table.root.ufs) is not an existing directory.")
    }
    let time = now
    try await namespace.mutate { state in
      var entries: [JournalEntry] = []
      if state.clusterInfo == nil {
        entries.append(.with { $0.clusterInfo = .with { $0.clusterID = UUID().uuidString.lowercased(); $0.createdTimeMs = time } })
      }
      if state.root == nil {
        var root = InodeRecord()
        root.id = state.nextInodeID
        root.parentID = root.id
        root.name = ""
        root.kind = .directory
        root.mode = UInt32(rootStatus.mode)
        root.owner = superuser.user
        root.group = superuser.primaryGroup
        root.creationTimeMs = time
        root.lastModificationTimeMs = time
        root.completed = true
        root.cacheable = true
        root.ttlMs = -1
        root.replicationMax = -1
        root.persistenceState = .persisted
        entries.append(.with { $0.upsertInode = root })
      }
      let current = state.mount(at: NamespacePath.root)
      if current == nil || current?.ufsUri != rootUFS || current?.properties != rootOptions
        || current?.readOnly != readOnly || current?.shared != shared
      {
        var mount = MountRecord()
        mount.mountID = current?.mountID ?? state.nextMountID
        mount.goosefsPath = NamespacePath.root
        mount.ufsUri = rootUFS
        mount.properties = rootOptions
        mount.readOnly = readOnly
        mount.shared = shared
        entries.append(.with { $0.upsertMount = mount })
      }
      return (entries, ())
    }
  }

  var clusterID: String { namespace.read { $0.clusterInfo?.clusterID ?? "" } }
}
