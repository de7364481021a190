import GooseFSCore

extension NamespaceState {
  /// Whether a block a worker holds belongs to no file, so its copy can only waste space
  /// (docs/architecture.md, "Orphaned blocks").
  ///
  /// A block id carries its file's container id. A file still being written owns every block of
  /// its container: its block ids are recorded only when it completes, and a worker commits each
  /// block before that. A completed file owns exactly the blocks it lists.
  func isOrphan(block blockID: Int64) -> Bool {
    guard let fileID = fileByContainer[BlockID.container(of: blockID)], let file = inodes[fileID] else { return true }
    guard file.completed else { return false }
    // Block ids are laid out by index (`BlockIDs.forFile`): check the slot before scanning.
    let index = Int(BlockID.index(of: blockID))
    if index < file.blockIds.count, file.blockIds[index] == blockID { return false }
    return !file.blockIds.contains(blockID)
  }

  /// The block ids `entries` stop referencing, planned against this state before they apply: the
  /// blocks of deleted files and the old blocks of files given a new container (their content
  /// changed in the under store).
  func blocksReleased(by entries: [JournalEntry]) -> [Int64] {
    entries.flatMap { entry -> [Int64] in
      switch entry.entry {
      case .deleteInode(let delete):
        return inodes[delete.id]?.blockIds ?? []
      case .upsertInode(let record):
        guard let old = inodes[record.id], old.blockContainerID != record.blockContainerID else { return [] }
        return old.blockIds
      default:
        return []
      }
    }
  }
}
