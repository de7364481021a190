import GooseFSCore
import GooseFSRPC

/// The master's whole persistent state: inodes, mount table, id counters, cluster identity.
///
/// `apply` is the only way it changes, and it is pure and deterministic: the live master applies
/// the very entries it journals, so replaying the journal rebuilds exactly the live state.
struct NamespaceState: Equatable, Sendable {
  private(set) var clusterInfo: ClusterInfoRecord?
  private(set) var inodes: [Int64: InodeRecord] = [:]
  /// parent id → child name → child id.
  private(set) var children: [Int64: [String: Int64]] = [:]
  private(set) var mounts: [Int64: MountRecord] = [:]
  /// block container id → the file whose blocks carry it (derived from `inodes`, for the block
  /// master's orphan check: a worker's block id names its container, not its inode).
  private(set) var fileByContainer: [Int64: Int64] = [:]
  private(set) var rootID: Int64?
  /// Counters only grow, so ids never repeat for the life of a journal, even across deletes.
  private(set) var nextInodeID: Int64 = 1
  private(set) var nextBlockContainerID: Int64 = 1
  private(set) var nextMountID: Int64 = 1

  init() {}

  mutating func apply(_ entry: JournalEntry) throws {
    switch entry.entry {
    case .clusterInfo(let info):
      clusterInfo = info
    case .upsertInode(let record):
      try upsert(record)
    case .deleteInode(let delete):
      try deleteInode(delete.id)
    case .renameInode(let rename):
      try renameInode(rename)
    case .upsertMount(let mount):
      mounts[mount.mountID] = mount
      nextMountID = max(nextMountID, mount.mountID + 1)
    case .deleteMount(let delete):
      mounts.removeValue(forKey: delete.mountID)
    case nil:
      throw GooseFSError(.corrupted, "Journal entry without content.")
    }
  }

  /// Restores counters saved in a checkpoint (they may exceed every id still in use).
  mutating func raiseCounters(inode: Int64, blockContainer: Int64, mount: Int64) {
    nextInodeID = max(nextInodeID, inode)
    nextBlockContainerID = max(nextBlockContainerID, blockContainer)
    nextMountID = max(nextMountID, mount)
  }

  private mutating func upsert(_ record: InodeRecord) throws {
    if let existing = inodes[record.id], existing.parentID != record.parentID || existing.name != record.name {
      throw GooseFSError(.corrupted, "Journal upsert of inode \(record.id) changes its place; renames have their own entry.")
    }
    if record.id == record.parentID {
      guard rootID == nil || rootID == record.id else {
        throw GooseFSError(.corrupted, "Journal creates a second root inode \(record.id).")
      }
      rootID = record.id
    } else {
      guard inodes[record.parentID] != nil else {
        throw GooseFSError(.corrupted, "Journal creates inode \(record.id) under missing parent \(record.parentID).")
      }
      if let clash = children[record.parentID]?[record.name], clash != record.id {
        throw GooseFSError(.corrupted, "Journal creates inode \(record.id) over sibling \(clash) named \(record.name).")
      }
      children[record.parentID, default: [:]][record.name] = record.id
    }
    if let previous = inodes[record.id], previous.blockContainerID != record.blockContainerID {
      fileByContainer.removeValue(forKey: previous.blockContainerID)
    }
    if record.kind == .file, record.blockContainerID > 0 { fileByContainer[record.blockContainerID] = record.id }
    inodes[record.id] = record
    nextInodeID = max(nextInodeID, record.id + 1)
    nextBlockContainerID = max(nextBlockContainerID, record.blockContainerID + 1)
  }

  private mutating func deleteInode(_ id: Int64) throws {
    guard let record = inodes[id] else {
      throw GooseFSError(.corrupted, "Journal deletes missing inode \(id).")
    }
    guard children[id]?.isEmpty ?? true else {
      throw GooseFSError(.corrupted, "Journal deletes inode \(id) which still has children.")
    }
    guard id != rootID else {
      throw GooseFSError(.corrupted, "Journal deletes the root inode.")
    }
    children[record.parentID]?.removeValue(forKey: record.name)
    children.removeValue(forKey: id)
    if fileByContainer[record.blockContainerID] == id { fileByContainer.removeValue(forKey: record.blockContainerID) }
    inodes.removeValue(forKey: id)
  }

  private mutating func renameInode(_ rename: Goosefs_Journal_RenameInode) throws {
    guard var record = inodes[rename.id], inodes[rename.newParentID] != nil else {
      throw GooseFSError(.corrupted, "Journal renames missing inode \(rename.id) or into missing parent.")
    }
    if let clash = children[rename.newParentID]?[rename.newName], clash != rename.id {
      throw GooseFSError(.corrupted, "Journal renames inode \(rename.id) over existing inode \(clash).")
    }
    children[record.parentID]?.removeValue(forKey: record.name)
    record.parentID = rename.newParentID
    record.name = rename.newName
    record.lastModificationTimeMs = rename.modificationTimeMs
    children[rename.newParentID, default: [:]][rename.newName] = rename.id
    inodes[rename.id] = record
  }
}

// MARK: - Lookups

extension NamespaceState {
  var root: InodeRecord? { rootID.flatMap { inodes[$0] } }

  /// The inode at a normalised path, or nil.
  func inode(at path: String) -> InodeRecord? {
    guard var current = root else { return nil }
    for name in NamespacePath.components(path) {
      guard let childID = children[current.id]?[name], let child = inodes[childID] else { return nil }
      current = child
    }
    return current
  }

  /// The inodes from the root to `path`, as far as they exist.
  func existingPrefix(of path: String) -> [InodeRecord] {
    guard var current = root else { return [] }
    var chain = [current]
    for name in NamespacePath.components(path) {
      guard let childID = children[current.id]?[name], let child = inodes[childID] else { break }
      chain.append(child)
      current = child
    }
    return chain
  }

  func childRecords(of id: Int64) -> [InodeRecord] {
    (children[id] ?? [:]).values.compactMap { inodes[$0] }.sorted { $0.name < $1.name }
  }

  func child(of id: Int64, named name: String) -> InodeRecord? {
    children[id]?[name].flatMap { inodes[$0] }
  }

  func childCount(of id: Int64) -> Int {
    children[id]?.count ?? 0
  }

  /// The absolute path of an inode.
  func path(of id: Int64) -> String {
    var names: [String] = []
    var current = inodes[id]
    while let record = current, record.id != record.parentID {
      names.append(record.name)
      current = inodes[record.parentID]
    }
    return "/" + names.reversed().joined(separator: "/")
  }

  /// Every inode of the subtree rooted at `id`, parents before children.
  func subtree(of id: Int64) -> [InodeRecord] {
    guard let start = inodes[id] else { return [] }
    var result = [start]
    var index = 0
    while index < result.count {
      result.append(contentsOf: childRecords(of: result[index].id))
      index += 1
    }
    return result
  }
}
