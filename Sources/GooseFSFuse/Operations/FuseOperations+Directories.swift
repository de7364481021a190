import CGooseFSFuse
import GooseFSClient
import GooseFSCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

final class FuseDirectoryHandles: Sendable {
  private let state = Mutex<(handles: [UInt64: DirectoryListing], next: UInt64)>(([:], 1))

  func add(_ listing: DirectoryListing) -> UInt64 {
    state.withLock { state in
      let id = state.next
      state.next += 1
      state.handles[id] = listing
      return id
    }
  }

  func get(_ id: UInt64) -> DirectoryListing? { state.withLock { $0.handles[id] } }
  func remove(_ id: UInt64) -> DirectoryListing? { state.withLock { $0.handles.removeValue(forKey: id) } }
}

// opendir, readdir, readdirplus, releasedir, mkdir, unlink, rmdir, rename.
extension FuseOperations {
  /// renameat2 flags (linux/fs.h; not exported to Swift).
  static let renameNoReplace: UInt32 = 1
  static let renameExchange: UInt32 = 2

  /// Entries of a listing past the kernel's position that an open directory may hold: a few of
  /// the master's 1000-entry pages, so the stream keeps ahead of `ls` without holding a huge folder.
  static let directoryWindow = 4096

  func opendir(_ request: FuseRequest, node: UInt64, flags: Int32) {
    spawn(request) { [self] _ in
      let path = try path(node)
      let listing = DirectoryListing(window: Self.directoryWindow) { [self] onPage in
        try await listVisible(path, onPage: onPage)
      }
      try await listing.open()
      let id = directories.add(listing)
      request.reply(open: FuseOpenReply(handle: id, directIO: false, keepCache: false, flags: flags))
    }
  }

  func releasedir(_ request: FuseRequest, handle: UInt64) {
    directories.remove(handle)?.close()
    request.ok()
  }

  /// Entries from `offset` (0 and 1 are "." and "..", entry i is offset i + 2) that fit in `size`
  /// bytes: on the libfuse thread when the listing has them already, else once they arrive.
  func readdir(_ request: FuseRequest, node: UInt64, handle: UInt64, size: Int, offset: Int64, plus: Bool) {
    guard let listing = directories.get(handle) else { return request.fail(EBADF) }
    let position = max(0, Int(offset) - 2)
    if replyDirectoryEntries(request, node: node, listing: listing, size: size, offset: offset, plus: plus) { return }
    spawn(request) { [self] _ in
      try await listing.waitUntilAvailable(at: position)
      if !replyDirectoryEntries(request, node: node, listing: listing, size: size, offset: offset, plus: plus) {
        request.fail(EIO)  // unreachable: the wait returns once entries or the end are there
      }
    }
  }

  /// Replies with the entries the listing has from `offset` on; false (nothing sent) when they
  /// have not arrived yet.
  private func replyDirectoryEntries(
    _ request: FuseRequest, node: UInt64, listing: DirectoryListing, size: Int, offset: Int64, plus: Bool
  ) -> Bool {
    var index = Int(max(0, offset))
    let entries: ArraySlice<FileInfo>
    switch listing.available(at: max(0, index - 2)) {
    case .entries(let available): entries = available
    case .end: entries = []
    case .wait: return false
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
    defer { buffer.deallocate() }
    var used = 0
    var next = entries.startIndex
    while index < 2 || next < entries.endIndex {
      let name: String
      var entryParameter = fuse_entry_param()
      // readdirplus hands the kernel a reference to each entry's node; taken before the entry is
      // added and given back if it does not fit.
      var referenced: UInt64?
      if index < 2 {
        name = index == 0 ? "." : ".."
        entryParameter.attr.st_mode = S_IFDIR
        entryParameter.attr.st_ino = ino_t(index == 0 ? node : FuseNodeTable.rootNode)  // d_ino 0 is skipped by ls
      } else {
        let info = entries[next]
        name = info.name
        if plus {
          let child = nodes.reference(info.path)
          referenced = child
          entryParameter = entry(info, node: child).parameter
        } else {
          // Some tools skip entries whose d_ino is 0; a node not handed out yet gets a stand-in.
          entryParameter.attr = attributes.stat(info, node: nodes.peek(info.path) ?? (UInt64(max(0, info.fileID)) | (1 << 40)))
        }
      }
      let remaining = size - used
      let target = buffer.baseAddress!.assumingMemoryBound(to: CChar.self) + used
      let written: Int = name.withCString { cName in
        plus
          ? fuse_add_direntry_plus(request.raw, target, remaining, cName, &entryParameter, off_t(index + 1))
          : fuse_add_direntry(request.raw, target, remaining, cName, &entryParameter.attr, off_t(index + 1))
      }
      if written > remaining, let referenced { nodes.forget(referenced, count: 1) }
      guard written <= remaining else { break }
      used += written
      if index >= 2 { next = entries.index(after: next) }
      index += 1
    }
    request.reply(raw: UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
    return true
  }

  func mkdir(_ request: FuseRequest, parent: UInt64, name: String, mode: UInt32) {
    let umask = request.caller.umask
    spawn(request) { [self] _ in
      try refuseIfReadOnly()
      let path = try childPath(parent, name)
      let info = try await fileSystem.createDirectory(
        path, recursive: false, allowExists: false, mode: mode & ~UInt32(umask) & 0o7777)
      // Created here, so empty: lookups in it are answered without a call until it expires.
      cache.putCreatedFolder(info)
      childrenChanged(of: path, by: 1)
      request.reply(entry: entry(info, node: nodes.reference(path)))
    }
  }

  /// unlink and rmdir: the kernel has checked the kind already (EISDIR, ENOTDIR); the master
  /// refuses a non-empty directory.
  func unlink(_ request: FuseRequest, parent: UInt64, name: String) {
    spawn(request) { [self] _ in
      try refuseIfReadOnly()
      let path = try childPath(parent, name)
      if let node = nodes.peek(path), openFiles.isOpen(node) {
        try await hide(path, node: node)
        return request.ok()
      }
      try await fileSystem.remove(path, recursive: false, goosefsOnly: false)
      nodes.detach(path)
      cache.removeTree(path)
      childrenChanged(of: path, by: -1)
      request.ok()
    }
  }

  func rename(_ request: FuseRequest, parent: UInt64, name: String, newParent: UInt64, newName: String, flags: UInt32) {
    spawn(request) { [self] _ in
      try refuseIfReadOnly()
      // Swapping two paths atomically has no GooseFS counterpart.
      if flags & Self.renameExchange != 0 { throw FuseFailure(ENOTSUP) }
      let source = try childPath(parent, name)
      let destination = try childPath(newParent, newName)
      // A file being streamed is committed first: GooseFS renames complete files.
      if let node = nodes.peek(source), let writer = openFiles.writer(of: node) { try await writer.commit() }
      // An open file being replaced stays readable by its descriptors, as after an unlink.
      if let replaced = nodes.peek(destination), openFiles.isOpen(replaced), flags & Self.renameNoReplace == 0 {
        try await hide(destination, node: replaced)
      }
      do {
        try await fileSystem.rename(source, to: destination)
      } catch let error as GooseFSError where error.code == .alreadyExists && flags & Self.renameNoReplace == 0 {
        try await replace(destination, with: source)
      }
      nodes.rename(source, to: destination)
      // Both folders stay complete: the source's entry moves (its subtree is forgotten: the
      // paths under it changed), whatever was at the destination is gone.
      // The destination's status comes from the master: a moved file has a new under-store path.
      cache.removeTree(source)
      cache.removeTree(destination)
      do {
        _ = try await refreshedStatus(destination)
      } catch {
        cache.invalidate(destination)
        logger.warning("Could not read the status of \(destination) after renaming \(source) to it: \(error)")
      }
      if FileSystemPaths.parent(source) != FileSystemPaths.parent(destination) {
        childrenChanged(of: source, by: -1)
        childrenChanged(of: destination, by: 1)
      }
      request.ok()
    }
  }

  /// Unlinking an open file: POSIX lets its open descriptors go on reading and writing it, so
  /// it is renamed to a hidden name (left out of listings) and removed at its last close.
  private func hide(_ path: String, node: UInt64) async throws {
    if let writer = openFiles.writer(of: node) { try await writer.commit() }
    let hiddenPath = FileSystemPaths.join(FileSystemPaths.parent(path), "\(Self.hiddenPrefix)\(node)-\(UInt32.random(in: 0...UInt32.max))")
    try await fileSystem.rename(path, to: hiddenPath)
    nodes.rename(path, to: hiddenPath)
    // Hidden names are left out of listings: the folder stays complete without either.
    cache.removeTree(path)
    // The kernel sends a release after close() returned, so the last one may have been handled
    // while the rename was on its way: then nobody else would remove the hidden file.
    if !openFiles.hide(node, at: hiddenPath) {
      try await fileSystem.remove(hiddenPath, recursive: false, goosefsOnly: false)
      nodes.detach(hiddenPath)
    }
  }

  /// Names of files unlinked while open (see `hide`).
  static let hiddenPrefix = ".goosefs-fuse-hidden-"

  /// POSIX rename onto an existing path: a file replaces a file, a directory an empty directory.
  /// GooseFS has no atomic replace, so the destination is removed first.
  private func replace(_ destination: String, with source: String) async throws {
    let target = try await fileSystem.getStatus(destination, syncIntervalMs: nil)
    let moving = try await fileSystem.getStatus(source, syncIntervalMs: nil)
    switch (moving.isDirectory, target.isDirectory) {
    case (false, true): throw FuseFailure(EISDIR)
    case (true, false): throw FuseFailure(ENOTDIR)
    default: break
    }
    try await fileSystem.remove(destination, recursive: false, goosefsOnly: false)
    try await fileSystem.rename(source, to: destination)
  }
}
