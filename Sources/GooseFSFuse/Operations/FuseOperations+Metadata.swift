import CGooseFSFuse
import GooseFSClient
import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

// lookup, getattr, setattr, forget, statfs.
extension FuseOperations {
  /// Answered on the libfuse thread when the metadata cache has the entry (a listing or a
  /// change made here put it there), or knows the folder completely and the name is not in it:
  /// no task, no network. A missing name is answered as a negative entry the kernel keeps for
  /// the entry timeout.
  func lookup(_ request: FuseRequest, parent: UInt64, name: String) {
    if cache.enabled, name.utf8.count <= FuseErrno.maxNameBytes, let parentPath = nodes.path(of: parent),
      permits(request.caller.uid)
    {
      let path = FileSystemPaths.join(parentPath, name)
      switch cache.lookup(path) {
      case .found(let info): return request.reply(entry: entry(info, node: nodes.reference(path)))
      case .absent: return request.reply(negativeEntryTimeout: settings.entryTimeout)
      case .unknown: break
      }
    }
    spawn(request) { [self] identity in
      let path = try childPath(parent, name)
      let info: FileInfo
      do {
        info = try await lookupStatus(path, as: identity)
      } catch let error as GooseFSError where error.code == .notFound && cache.enabled {
        // With the cache on, other clients' changes may show late anyway (after its lifetime):
        // the kernel may keep the negative answer for the entry timeout too.
        return request.reply(negativeEntryTimeout: settings.entryTimeout)
      }
      let node = nodes.reference(path)
      request.reply(entry: entry(info, node: node))
    }
  }

  /// With the metadata cache on, the first lookup that misses in a folder lists the whole folder
  /// (one call instead of one per name: a job opening the files of a dataset folder, or `stat`
  /// of each, then runs from the cache). Folders larger than the cache are not listed.
  func lookupStatus(_ path: String, as caller: CallerIdentity) async throws -> FileInfo {
    let folder = FileSystemPaths.parent(path)
    guard cache.enabled, path != folder, !cache.wasListed(folder) else { return try await status(path) }
    let folderInfo = try await status(folder)
    guard folderInfo.isDirectory, folderInfo.childCount <= Int64(cache.maxSize) else { return try await status(path) }
    try await listings.run(folder, as: caller) { [self] in
      let start = cache.listingStart()
      try await listVisible(folder) { _ in }
      cache.markListed(folder, since: start)
    }
    switch cache.lookup(path) {
    case .found(let info): return info
    case .absent: throw GooseFSError(.notFound, "Path \(path) does not exist.")
    case .unknown: return try await status(path)
    }
  }

  func forget(_ node: UInt64, count: UInt64) {
    nodes.forget(node, count: count)
  }

  func getattr(_ request: FuseRequest, node: UInt64) {
    if cache.enabled, let path = nodes.path(of: node), let info = cache.get(path), permits(request.caller.uid) {
      return request.reply(attributes: stat(info, node: node), timeout: settings.attributeTimeout)
    }
    spawn(request) { [self] _ in
      let info = try await status(try path(node))
      request.reply(attributes: stat(info, node: node), timeout: settings.attributeTimeout)
    }
  }

  /// chmod, chown, truncate, and the modification time (utimens; access times are not kept:
  /// GooseFS reports its modification time for both).
  func setattr(_ request: FuseRequest, node: UInt64, attributes wanted: stat, fields: Int32, handle: UInt64?) {
    spawn(request) { [self] identity in
      let path = try path(node)
      var options = SetAttributeOptions()
      if fields & FUSE_SET_ATTR_MODE != 0 { options.mode = UInt32(wanted.st_mode) & 0o7777 }
      if fields & FUSE_SET_ATTR_UID != 0 { options.owner = identities.userName(wanted.st_uid) }
      if fields & FUSE_SET_ATTR_GID != 0 { options.group = identities.groupName(wanted.st_gid) }
      // The master answers a change with the status it made; a truncate's commit is newer.
      var changed: FileInfo?
      if options.mode != nil || options.owner != nil || options.group != nil {
        try refuseIfReadOnly()
        changed = try await fileSystem.setAttribute(path, options)
      }
      if fields & FUSE_SET_ATTR_SIZE != 0 {
        try refuseIfReadOnly()
        try await truncate(node: node, path: path, to: Int64(wanted.st_size), handle: handle, identity: identity)
        changed = nil
      }
      var deferredTime: Int64?
      if fields & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW) != 0 {
        try refuseIfReadOnly()
        var requested = wanted.st_mtim
        if fields & FUSE_SET_ATTR_MTIME_NOW != 0 { clock_gettime(CLOCK_REALTIME, &requested) }
        let time = FuseAttributes.milliseconds(requested)
        let writer = handle.flatMap { openFiles.handle($0)?.writer } ?? openFiles.writer(of: node)
        if let writer, try await writer.deferModificationTime(time) {
          deferredTime = time
        } else {
          changed = try await fileSystem.setAttribute(path, SetAttributeOptions(lastModificationTimeMs: time))
        }
      }
      // Something changed (setattr always asks for a change): the master's status replaces the entry.
      var info: FileInfo
      if let changed, changed.path == path {
        cache.put(changed)
        info = changed
      } else {
        info = try await refreshedStatus(path)
      }
      // Until the pending changes are committed, the kernel is told the time it asked for.
      if let deferredTime { info.lastModificationTimeMs = deferredTime }
      request.reply(attributes: stat(info, node: node), timeout: settings.attributeTimeout)
    }
  }

  /// Through the handle's writer if the file is open for writing, else a writer just for this.
  private func truncate(node: UInt64, path: String, to length: Int64, handle: UInt64?, identity: CallerIdentity) async throws {
    if let writer = handle.flatMap({ openFiles.handle($0)?.writer }) ?? openFiles.writer(of: node) {
      try await writer.truncate(to: length)
      return
    }
    let info = try await status(path)
    guard !info.isDirectory else { throw FuseFailure(EISDIR) }
    let writer = openFiles.attachWriter(node) { makeWriter(node: node, info: info, identity: identity) }
    do {
      try await writer.truncate(to: length)
      try await writer.commit()
    } catch {
      await release(writer: writer)
      throw error
    }
    await release(writer: writer)
  }

  func statfs(_ request: FuseRequest) {
    spawn(request) { [self] _ in
      let tiers = try await fileSystem.masterInfo().tiers
      let capacity = tiers.reduce(Int64(0)) { $0 + $1.capacityBytes }
      let used = tiers.reduce(Int64(0)) { $0 + $1.usedBytes }
      let blockSize: Int64 = 4096
      var result = statvfs()
      result.f_bsize = UInt(blockSize)
      result.f_frsize = UInt(blockSize)
      result.f_blocks = fsblkcnt_t(capacity / blockSize)
      result.f_bfree = fsblkcnt_t(max(0, capacity - used) / blockSize)
      result.f_bavail = result.f_bfree
      // GooseFS has no inode limit; report plenty so tools do not refuse to create files.
      result.f_files = 1 << 32
      result.f_ffree = 1 << 31
      result.f_favail = result.f_ffree
      result.f_namemax = UInt(FuseErrno.maxNameBytes)
      request.reply(statfs: result)
    }
  }
}
