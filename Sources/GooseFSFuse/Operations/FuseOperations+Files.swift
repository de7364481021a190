import GooseFSClient
import GooseFSCore
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

// open, create, read, write, flush, fsync, release.
extension FuseOperations {
  func makeWriter(node: UInt64, info: FileInfo, identity: CallerIdentity) -> FuseFileWriter {
    FuseFileWriter(
      node: node, length: info.length, mode: info.mode, fileSystem: fileSystem, nodes: nodes,
      stagingFolder: settings.stagingFolder, identity: identity, completeLater: settings.writeBehind)
  }

  func open(_ request: FuseRequest, node: UInt64, flags: Int32) {
    // Reading a file the metadata cache knows needs nothing from anybody: answered here.
    if flags & O_ACCMODE == O_RDONLY, cache.enabled, permits(request.caller.uid), openFiles.writer(of: node) == nil,
      let path = nodes.path(of: node), let info = cache.get(path), !info.isDirectory
    {
      let handle = openFiles.add(FuseHandle(node: node, writer: nil, queueLimit: settings.handleQueueMax, openedStatus: info))
      return request.reply(
        open: FuseOpenReply(
          handle: handle, directIO: settings.mountOptions.directIO, keepCache: keepsCache(node: node, info: info),
          flags: flags))
    }
    spawn(request) { [self] identity in
      let path = try path(node)
      let info = try await status(path)
      guard !info.isDirectory else { throw FuseFailure(EISDIR) }
      let writes = flags & O_ACCMODE != O_RDONLY
      var writer: FuseFileWriter?
      if writes {
        try refuseIfReadOnly()
        writer = openFiles.attachWriter(node) { makeWriter(node: node, info: info, identity: identity) }
        if flags & O_TRUNC != 0 {
          do {
            try await writer!.truncate(to: 0)
          } catch {
            await release(writer: writer!)
            throw error
          }
          changed(path)
        }
      }
      let handle = openFiles.add(
        FuseHandle(
          node: node, writer: writer, queueLimit: settings.handleQueueMax,
          openedStatus: writes || openFiles.writer(of: node) != nil ? nil : info))
      request.reply(
        open: FuseOpenReply(
          handle: handle, directIO: settings.mountOptions.directIO,
          keepCache: !writes && keepsCache(node: node, info: info), flags: flags))
    }
  }

  /// The kernel may keep its cached pages of a file opened for reading only if the file is the
  /// one it cached: same inode, length and modification time as at the previous open, and
  /// nobody writing it here.
  private func keepsCache(node: UInt64, info: FileInfo) -> Bool {
    guard settings.mountOptions.kernelCache, info.completed, openFiles.writer(of: node) == nil else { return false }
    let version = FileVersion(fileID: info.fileID, length: info.length, modified: info.lastModificationTimeMs)
    return cachedVersions.withLock { versions in
      defer { versions[node] = version }
      return versions[node] == version
    }
  }

  func create(_ request: FuseRequest, parent: UInt64, name: String, mode: UInt32, flags: Int32) {
    let umask = request.caller.umask
    spawn(request) { [self] identity in
      try refuseIfReadOnly()
      let path = try childPath(parent, name)
      let options = CreateFileOptions(mode: mode & ~UInt32(umask) & 0o7777, overwrite: flags & O_EXCL == 0)
      let stream = try await fileSystem.createFileStream(path, options: options, writeType: nil)
      var info = stream.created
      info.completed = false
      // The new file is known here: its first stat needs no call, and its folder stays complete.
      cache.put(info)
      childrenChanged(of: path, by: 1)
      let node = nodes.reference(path)
      let writer = openFiles.attachWriter(node) { makeWriter(node: node, info: info, identity: identity) }
      try await writer.adopt(stream)
      let handle = openFiles.add(FuseHandle(node: node, writer: writer, queueLimit: settings.handleQueueMax))
      request.reply(
        create: entry(info, node: node),
        handle: FuseOpenReply(handle: handle, directIO: settings.mountOptions.directIO, keepCache: false, flags: flags))
    }
  }

  func read(_ request: FuseRequest, handle id: UInt64, offset: Int64, size: Int) {
    guard let handle = openFiles.handle(id) else { return request.fail(EBADF) }
    if handle.writer == nil, openFiles.writer(of: handle.node) == nil, permits(request.caller.uid),
      let reader = handle.reader.withLock({ $0 }) ?? localReader(handle, request: request),
      reader.replyFromMemory(request, at: offset, count: size)
    {
      return
    }
    if handle.writer == nil, handle.reader.withLock({ $0 == nil }), openFiles.writer(of: handle.node) == nil,
      permits(request.caller.uid), let status = handle.openedStatus.withLock({ $0 })
    {
      // Nobody writes it here and it is the version opened: its length says where it ends.
      if offset >= status.length, status.completed, status.kind == .file {
        return request.reply(raw: UnsafeRawBufferPointer(start: nil, count: 0))
      }
      // A small file on a remote worker: one exchange, waited for on this thread.
      if let bytes = fileSystem.readRemotelyNow(status, at: offset, count: size) { return request.reply(bytes: bytes) }
    }
    spawn(request, on: handle.queue) { [self] identity in
      if let writer = handle.writer ?? openFiles.writer(of: handle.node) {
        if let staged = try await writer.read(at: offset, count: size) {
          return request.reply(bytes: staged)
        }
        // Committed: a reader opened before the commit would read the old version.
        let version = writer.version
        let stale = handle.readerVersion.withLock { seen in
          defer { seen = version }
          return seen != version
        }
        if stale, let old = handle.reader.withLock({ reader in defer { reader = nil }; return reader }) {
          await old.close()
        }
      }
      let reader = try handle.reader.withLock { reader in
        if let reader { return reader }
        // The status seen at open serves a file nobody writes through this mount; else the
        // stream asks the master (a commit here made a new version).
        let status = handle.openedStatus.withLock { $0.take() }
        let made = FuseFileReader(
          path: try path(handle.node), status: handle.writer == nil && openFiles.writer(of: handle.node) == nil ? status : nil,
          fileSystem: fileSystem, identity: identity)
        reader = made
        return made
      }
      try await reader.reply(request, at: offset, count: size)
    }
  }

  /// The first read of a small cached file: its reader over block files opened right here, if a
  /// worker of this host holds every block (else nil, and the read runs as a task).
  private func localReader(_ handle: FuseHandle, request: FuseRequest) -> FuseFileReader? {
    guard let status = handle.openedStatus.withLock({ $0 }), let path = nodes.path(of: handle.node),
      let stream = fileSystem.openLocallyNow(status)
    else { return nil }
    let caller = request.caller
    let made = FuseFileReader(
      path: path, status: status, fileSystem: fileSystem, identity: identities.caller(uid: caller.uid, gid: caller.gid),
      opened: stream)
    let kept = handle.reader.withLock { reader in
      if reader == nil { reader = made }
      return reader!
    }
    // Another thread's read of the same handle was first.
    if kept !== made { stream.closeWithoutWaiting() }
    return kept
  }

  func write(_ request: FuseRequest, handle id: UInt64, bytes: ByteBuffer, offset: Int64) {
    guard let handle = openFiles.handle(id), let writer = handle.writer else { return request.fail(EBADF) }
    spawn(request, on: handle.queue) { _ in
      try await writer.write(bytes, at: offset)
      request.reply(written: bytes.readableBytes)
    }
  }

  /// close(2) of one descriptor: the moment to report a failed commit to the application.
  func flush(_ request: FuseRequest, handle id: UInt64) {
    guard let handle = openFiles.handle(id), let writer = handle.writer else { return request.ok() }
    // Nothing queued on the handle and nothing to wait for (say, the close of a new empty file):
    // answered here.
    if handle.queue.isIdle, writer.commitNow() {
      if let info = writer.takeCommitted() { committed(nodes.path(of: writer.node), info) }
      return request.ok()
    }
    spawn(request, on: handle.queue) { [self] _ in
      try await commit(writer)
      request.ok()
    }
  }

  /// Commits what the writers wrote and caches the file as the master completed it (or will).
  private func commit(_ writer: FuseFileWriter) async throws {
    try await writer.commit()
    if let info = writer.takeCommitted() { committed(nodes.path(of: writer.node), info) }
  }

  /// flush, and the file's completion on the master if a close left it on its way (write-behind).
  func fsync(_ request: FuseRequest, handle id: UInt64) {
    guard let handle = openFiles.handle(id) else { return request.ok() }
    spawn(request, on: handle.queue) { [self] _ in
      if let writer = handle.writer { try await commit(writer) }
      try await fileSystem.waitForCompletions(under: try path(handle.node))
      request.ok()
    }
  }

  /// fsyncdir: every completion of a file in the folder (or below) reached the master.
  func fsyncdir(_ request: FuseRequest, node: UInt64) {
    spawn(request) { [self] _ in
      try await fileSystem.waitForCompletions(under: try path(node))
      request.ok()
    }
  }

  func release(_ request: FuseRequest, handle id: UInt64) {
    guard let (handle, hiddenPath) = openFiles.remove(id) else { return request.ok() }
    defer { handle.queue.finish() }
    // A handle with nothing in its queue and nothing to wait for: done here. That is one that
    // only read, or one whose writer the close's flush left committed (a create's release).
    if hiddenPath == nil, handle.queue.isIdle, handle.writer?.isSettledNow ?? true,
      handle.reader.withLock({ $0 })?.closeWithoutWaiting() ?? true
    {
      if let writer = handle.writer {
        // The last handle: a settled writer needs no `close` (it holds no stream).
        _ = openFiles.detachWriter(writer)
        if let info = writer.takeCommitted() { committed(nodes.path(of: handle.node), info) }
      }
      return request.ok()
    }
    spawn(request, on: handle.queue) { [self] _ in
      if let writer = handle.writer {
        var failed = false
        do {
          try await writer.commit()
        } catch {
          failed = true
          logger.error("Could not commit \(nodes.path(of: handle.node) ?? "node \(handle.node)") on close: \(error)")
        }
        await release(writer: writer)
        // The completed file replaces the entry; after a failure the master has the last word.
        if failed {
          committed(nodes.path(of: handle.node), nil)
        } else if let info = writer.takeCommitted() {
          committed(nodes.path(of: handle.node), info)
        }
      }
      if let reader = handle.reader.withLock({ $0 }) { await reader.close() }
      if let hiddenPath {
        do {
          try await fileSystem.remove(hiddenPath, recursive: false, goosefsOnly: false)
        } catch {
          logger.error("Could not remove \(hiddenPath), a file unlinked while open: \(error)")
        }
        nodes.detach(hiddenPath)
      }
      request.ok()
    }
  }

  /// One handle less on `writer`; the last one ends it.
  func release(writer: FuseFileWriter) async {
    if openFiles.detachWriter(writer) { await writer.close() }
  }
}
