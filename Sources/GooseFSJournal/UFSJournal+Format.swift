import GooseFSCore

extension UFSJournal {
  /// Deletes every segment, checkpoint and temporary file, leaving an empty journal (what
  /// `goosefs format` does). Creates the folder if missing. Refuses with `.failedPrecondition`
  /// while a master (in this or another process) has the journal open.
  public static func format(folder: String) throws {
    try PosixFile.createDirectories(folder)
    let lock = try FolderLock.acquire(folder: folder)
    defer { lock.release() }
    for name in try PosixFile.listDirectory(folder) where JournalFileName.classify(name) != .other {
      try PosixFile.removeFile(folder + "/" + name)
    }
    try PosixFile.syncDirectory(folder)
  }
}
