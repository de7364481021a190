import GooseFSClient
import GooseFSCore
import Logging
import NIOCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The file system the kernel sees, one method per FUSE operation. Every method returns at once:
/// arguments are copied, the work runs as a task acting as the calling process's user, and the
/// task replies when done, so no libfuse thread ever waits for the network.
final class FuseOperations: Sendable {
  let fileSystem: any DataFileSystem
  let settings: FuseSettings
  let nodes: FuseNodeTable
  let cache: MetadataCache
  let identities: FuseIdentities
  let attributes: FuseAttributes
  let openFiles = FuseOpenFiles()
  let directories = FuseDirectoryHandles()
  let listings = SharedListings()
  /// Requests being worked on (`goosefs.fuse.requests.max`) and their interrupts.
  let requestSlots: BlockingSlots
  let interrupts = FuseInterrupts()
  let logger: Logger
  /// The uid that mounted (allow_root lets only it and root in).
  let ownerUID = getuid()
  /// Each node's version at its last read-only open, for keep_cache.
  let cachedVersions = Mutex<[UInt64: FileVersion]>([:])
  /// Set once the kernel sent its first request after INIT (the mount's bdi exists then).
  let started = Atomic<Bool>(false)
  let onFirstRequest: @Sendable () -> Void

  struct FileVersion: Equatable {
    var fileID: Int64
    var length: Int64
    var modified: Int64
  }

  init(
    fileSystem: any DataFileSystem, rootPath: String, settings: FuseSettings, logger: Logger,
    onFirstRequest: @escaping @Sendable () -> Void
  ) {
    self.fileSystem = fileSystem
    self.settings = settings
    self.nodes = FuseNodeTable(rootPath: rootPath)
    self.cache = MetadataCache(
      enabled: settings.metadataCacheEnabled, maxSize: settings.metadataCacheMaxSize,
      lifetime: settings.metadataCacheLifetime)
    let options = settings.mountOptions
    self.identities = FuseIdentities(
      translate: settings.translateUsers, mountUID: options.uid ?? getuid(), mountGID: options.gid ?? getgid())
    self.attributes = FuseAttributes(identities: identities)
    self.requestSlots = BlockingSlots(limit: settings.requestsMax)
    self.logger = logger
    self.onFirstRequest = onFirstRequest
  }

  /// Runs `body` as the request's caller; an error thrown before it replied becomes the errno.
  /// At most `goosefs.fuse.requests.max` requests are worked on at once: beyond that the libfuse
  /// thread waits here for a slot (it is a thread, not a task, so waiting is backpressure to the
  /// kernel, never a stalled cooperative pool). An interrupt from the kernel cancels the
  /// request's task and the request is answered `EINTR`.
  @available(*, noasync, message: "called on libfuse threads")
  func spawn(
    _ request: FuseRequest, on queue: SerialJobQueue? = nil,
    _ body: @escaping @Sendable (CallerIdentity) async throws -> Void
  ) {
    if !started.load(ordering: .relaxed), started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
      onFirstRequest()
    }
    let caller = request.caller
    guard permits(caller.uid) else { return request.fail(EACCES) }
    let identity = identities.caller(uid: caller.uid, gid: caller.gid)
    requestSlots.acquire()
    let id = interrupts.register(request)
    // A task of its own per request (not a task-group child) because an interrupt must cancel
    // exactly this request's work; the slots bound how many exist.
    let start: @Sendable () -> Task<Void, Never> = { [self] in
      let work = Task { [self] in
        do {
          try await MasterConnection.$actingCaller.withValue(identity) { try await body(identity) }
          interrupts.finished(id)
        } catch {
          let interrupted = interrupts.finished(id)
          let code = interrupted ? EINTR : FuseErrno.code(for: error)
          if interrupted {
            logger.info("Request of pid \(caller.pid) interrupted: its work was cancelled.")
          } else if code == EIO || code == ENOSPC || code == ETIMEDOUT {
            logger.warning("Request of pid \(caller.pid) failed with errno \(code): \(error)")
          }
          request.fail(code)
        }
        requestSlots.release()
      }
      interrupts.started(id, work)
      return work
    }
    guard let queue else {
      _ = start()
      return
    }
    let queued = queue.submit { await start().value }
    if !queued {
      // The handle was released: nothing will run this request.
      interrupts.finished(id)
      requestSlots.release()
      request.fail(EBADF)
    }
  }

  /// allow_root: the kernel lets everyone in (libfuse3 has only allow_other); we admit root and
  /// the user who mounted.
  func permits(_ uid: uid_t) -> Bool {
    !settings.mountOptions.allowRoot || uid == 0 || uid == ownerUID
  }

  // MARK: Shared helpers

  func path(_ node: UInt64) throws -> String {
    guard let path = nodes.path(of: node) else { throw FuseFailure(ENOENT) }
    return path
  }

  func childPath(_ parent: UInt64, _ name: String) throws -> String {
    guard name.utf8.count <= FuseErrno.maxNameBytes else { throw FuseFailure(ENAMETOOLONG) }
    return FileSystemPaths.join(try path(parent), name)
  }

  func status(_ path: String) async throws -> FileInfo {
    if let cached = cache.get(path) { return cached }
    let info = try await fileSystem.getStatus(path, syncIntervalMs: nil)
    cache.put(info)
    return info
  }

  /// Lists `folder` page by page, hiding files unlinked while open, into the metadata cache and
  /// then to `onPage`.
  func listVisible(_ folder: String, onPage: @escaping @Sendable ([FileInfo]) async throws -> Void) async throws {
    try await fileSystem.listStatus(folder, recursive: false, syncIntervalMs: nil) { [cache] page in
      let visible = page.filter { !$0.name.hasPrefix(Self.hiddenPrefix) }
      cache.put(visible)
      try await onPage(visible)
    }
  }

  /// Attributes with the size writers through this mount see.
  func stat(_ info: FileInfo, node: UInt64) -> stat {
    var length: Int64?
    if !info.isDirectory, let writer = openFiles.writer(of: node) { length = writer.length }
    return attributes.stat(info, node: node, length: length)
  }

  func entry(_ info: FileInfo, node: UInt64) -> FuseEntry {
    FuseEntry(
      node: node, attributes: stat(info, node: node), attributeTimeout: settings.attributeTimeout,
      entryTimeout: settings.entryTimeout)
  }

  func refuseIfReadOnly() throws {
    if settings.mountOptions.readOnly { throw FuseFailure(EROFS) }
  }

  /// A change to `path` made here whose result is not known: forget what the cache says of it
  /// (its folder is then no longer known complete).
  func changed(_ path: String) {
    cache.invalidate(path)
  }

  /// The status after a change, from the master, into the cache (replacing the old entry
  /// without a moment in which the name looks absent).
  func refreshedStatus(_ path: String) async throws -> FileInfo {
    let info = try await fileSystem.getStatus(path, syncIntervalMs: nil)
    cache.put(info)
    return info
  }

  /// A child of `path`'s folder was added (1) or removed (-1) by this daemon.
  func childrenChanged(of path: String, by delta: Int64) {
    cache.touch(FileSystemPaths.parent(path), childDelta: delta, modifiedMs: FuseOperations.nowMilliseconds())
  }

  /// A commit finished: the file as the master completed it, or forgotten when not known.
  func committed(_ path: String?, _ info: FileInfo?) {
    guard let path else { return }
    if let info, info.path == path { cache.put(info) } else { changed(path) }
  }

  static func nowMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
  }
}

/// Path arithmetic on GooseFS paths (absolute, "/"-separated, no trailing slash).
enum FileSystemPaths {
  static func join(_ parent: String, _ name: String) -> String { FuseNodeTable.join(parent, name) }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }
}
