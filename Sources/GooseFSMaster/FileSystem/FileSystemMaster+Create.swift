import GooseFSCore
import GooseFSRPC

struct CreateDirectoryRequest: Sendable {
  var path: String
  var recursive: Bool
  var allowExists: Bool
  var mode: UInt32?
  var persist: Bool
}

struct CreateFileRequest: Sendable {
  var path: String
  var recursive: Bool
  var mode: UInt32?
  var blockSizeBytes: Int64
  var ttlMs: Int64?
  var ttlAction: TTLAction
  var replicationMin: Int32
  var replicationMax: Int32
  var persist: Bool
  var overwrite: Bool
}

extension FileSystemMaster {
  func createDirectory(_ request: CreateDirectoryRequest, caller: CallerIdentity) async throws -> FileInfo {
    let path = try NamespacePath.normalize(request.path)
    try await syncPath(path, intervalMs: settings.defaultSyncIntervalMs, includeTarget: false)
    let mode = (request.mode ?? 0o777) & ~settings.umask & 0o7777
    // Validate before touching the under store, so a refused request leaves nothing behind there.
    let alreadyThere = try namespace.read { state -> Bool in
      guard let existing = state.inode(at: path) else { return false }
      guard request.allowExists, existing.kind == .directory else { throw GooseFSError.pathAlreadyExists(path) }
      return true
    }
    if alreadyThere { return try currentInfo(path) }
    if request.persist {
      try await createInUnderStore(path, directoryMode: mode, recursive: request.recursive, caller: caller)
    }
    try await namespace.mutate { state in
      if let existing = state.inode(at: path) {
        guard request.allowExists, existing.kind == .directory else { throw GooseFSError.pathAlreadyExists(path) }
        return ([], ())
      }
      let plan = try newDirectoryChain(
        to: path, mode: mode, recursive: request.recursive, persisted: request.persist, caller: caller, in: state)
      return (plan.entries, ())
    }
    return try currentInfo(path)
  }

  /// The FileInfo of a path as it is now.
  func currentInfo(_ path: String) throws -> FileInfo {
    try namespace.read { state in state.fileInfo(try existing(path, in: state), path: path) }
  }

  func createFile(_ request: CreateFileRequest, caller: CallerIdentity) async throws -> FileInfo {
    let path = try NamespacePath.normalize(request.path)
    guard path != NamespacePath.root else { throw GooseFSError.pathAlreadyExists(path) }
    try await syncPath(path, intervalMs: settings.defaultSyncIntervalMs, includeTarget: false)
    if request.overwrite, namespace.read({ $0.inode(at: path) }) != nil {
      try await remove(path, recursive: false, goosefsOnly: false, caller: caller)
    }
    let parentPath = NamespacePath.parent(path) ?? NamespacePath.root
    if namespace.read({ $0.inode(at: path) }) != nil { throw GooseFSError.pathAlreadyExists(path) }
    if request.persist {
      try await createInUnderStore(parentPath, directoryMode: 0o777 & ~settings.umask, recursive: request.recursive, caller: caller)
    }
    let time = now
    try await namespace.mutate { state in
      (try planNewFile(path, request, at: time, caller: caller, in: state), ())
    }
    return try currentInfo(path)
  }

  /// `createFile` without suspending, or nil when it needs the under store (a folder on the way
  /// is due for a sync, an overwrite, a file created to be persisted): the framed server answers
  /// it on its event loop once `pending` is durable.
  func createFileNow(_ request: CreateFileRequest, caller: CallerIdentity) throws
    -> (info: FileInfo, pending: JournaledNamespace.Pending)?
  {
    let path = try NamespacePath.normalize(request.path)
    guard path != NamespacePath.root else { throw GooseFSError.pathAlreadyExists(path) }
    guard !request.persist, !isSyncDue(above: path, intervalMs: settings.defaultSyncIntervalMs) else { return nil }
    if request.overwrite, namespace.read({ $0.inode(at: path) }) != nil { return nil }
    let time = now
    let pending = try namespace.mutateNow { state in
      (try planNewFile(path, request, at: time, caller: caller, in: state), ())
    }.pending
    return (try currentInfo(path), pending)
  }

  /// The entries creating file `path` (and its missing folders, with `recursive`).
  private func planNewFile(
    _ path: String, _ request: CreateFileRequest, at time: Int64, caller: CallerIdentity, in state: borrowing NamespaceState
  ) throws -> [JournalEntry] {
    let parentPath = NamespacePath.parent(path) ?? NamespacePath.root
    let mode = (request.mode ?? 0o666) & ~settings.umask & 0o7777
    if state.inode(at: path) != nil { throw GooseFSError.pathAlreadyExists(path) }
    let plan = try newDirectoryChain(
      to: parentPath, mode: 0o777 & ~settings.umask, recursive: request.recursive, persisted: request.persist,
      caller: caller, in: state, allowExistingTarget: true)
    var entries = plan.entries
    if state.inode(at: parentPath) != nil {
      try checkAccess(caller, .write, path: parentPath, in: state)
    }
    var record = InodeRecord()
    record.id = plan.nextID
    record.parentID = plan.targetID
    record.name = NamespacePath.name(path)
    record.kind = .file
    record.mode = mode
    record.owner = caller.user
    record.group = caller.primaryGroup
    record.creationTimeMs = time
    record.lastModificationTimeMs = time
    record.blockSizeBytes = request.blockSizeBytes > 0 ? request.blockSizeBytes : settings.defaultBlockSizeBytes
    record.blockContainerID = state.nextBlockContainerID
    record.completed = false
    record.cacheable = true
    record.persistenceState = request.persist ? .toBePersisted : .notPersisted
    record.ttlMs = request.ttlMs ?? -1
    record.ttlAction = request.ttlAction.proto
    record.replicationMin = request.replicationMin
    record.replicationMax = request.replicationMax
    entries.append(.with { $0.upsertInode = record })
    if plan.entries.isEmpty, let parentTouch = touchedParent(plan.targetID, in: state, at: time) {
      entries.append(parentTouch)
    }
    return entries
  }

  /// Marks a file complete with its final length. A file created to be persisted with no bytes
  /// (e.g. `touch`) is written to the under store here; files with data are persisted by workers,
  /// and `schedulePersist` queues this one for them (`schedulePersist(_:caller:)`) once complete.
  func completeFile(
    _ rawPath: String, length: Int64, ufsFingerprint: String, schedulePersist: Bool = false, caller: CallerIdentity
  ) async throws -> FileInfo {
    let path = try NamespacePath.normalize(rawPath)
    let current = try completionTarget(path, caller: caller)
    var fingerprint = ufsFingerprint
    if fingerprint.isEmpty, current.inode.persistenceState == .toBePersisted, length == 0, let resolved = current.resolved {
      let ufs = try ufsManager.client(for: resolved.mount)
      let output = try await ufs.create(resolved.ufsPath, mode: UInt16(current.inode.mode), createParents: true)
      try await output.close()
      fingerprint = try await ufs.status(resolved.ufsPath)?.fingerprint ?? ""
    }
    let completion = Completion(
      of: current.inode, path: path, length: length, fingerprint: fingerprint, schedulePersist: schedulePersist,
      at: now, master: self)
    let completed = try await namespace.mutate { state in try completion.plan(in: state) }
    if completion.persistLater { try await self.schedulePersist(path, caller: caller) }
    return completed
  }

  /// `completeFile` without suspending, or nil when it needs the under store (an empty file to be
  /// persisted) or a persist it cannot hand out at once (a block with no location; a read-only
  /// mount): the framed server answers on its event loop after `whenDurable`, which also hands
  /// the persist job out (never before the completion is durable).
  func completeFileNow(
    _ rawPath: String, length: Int64, ufsFingerprint: String, schedulePersist: Bool, caller: CallerIdentity
  ) throws -> (info: FileInfo, pending: JournaledNamespace.Pending, whenDurable: (@Sendable () -> Void)?)? {
    let path = try NamespacePath.normalize(rawPath)
    let current = try completionTarget(path, caller: caller)
    if ufsFingerprint.isEmpty, current.inode.persistenceState == .toBePersisted, length == 0 { return nil }
    let completion = Completion(
      of: current.inode, path: path, length: length, fingerprint: ufsFingerprint, schedulePersist: schedulePersist,
      at: now, master: self)
    guard !completion.persistLater || completion.persistInRecord else { return nil }
    guard !completion.persistLater || current.resolved.map({ !$0.mount.readOnly }) == true else { return nil }
    let (info, pending) = try namespace.mutateNow { state in try completion.plan(in: state) }
    guard completion.persistLater, let resolved = current.resolved else { return (info, pending, nil) }
    let job = PersistJob(
      fileID: current.inode.id, path: path, mountID: resolved.mount.mountID, ufsPath: resolved.ufsPath,
      length: length, blocks: withBlocks(info, withBlockInfos: true).fileBlockInfos)
    let registry = blockMaster
    return (info, pending, { registry.schedulePersist(job) })
  }

  /// The file a completion is for, checked: an incomplete file the caller may write.
  private func completionTarget(_ path: String, caller: CallerIdentity) throws -> (inode: InodeRecord, resolved: ResolvedPath?) {
    try namespace.read { state in
      let inode = try existing(path, in: state)
      guard inode.kind == .file else { throw GooseFSError(.invalidArgument, "Path \"\(path)\" is not a file.") }
      guard !inode.completed else { throw GooseFSError(.failedPrecondition, "File \"\(path)\" is already completed.") }
      try checkAccess(caller, .write, path: path, in: state)
      return (inode, state.resolve(path))
    }
  }

  /// One file's completion as planned before taking the namespace lock.
  private struct Completion: Sendable {
    let fileID: Int64
    let path: String
    let length: Int64
    let fingerprint: String
    let time: Int64
    let blockIDs: [Int64]
    /// ASYNC_THROUGH with bytes: a worker is to persist the file once it is complete.
    let persistLater: Bool
    /// The persist's TO_BE_PERSISTED goes into the completion's own record (one journal write
    /// and one fsync wait per ASYNC_THROUGH file, not two) when the job can be handed out at once:
    /// every block has a location. Otherwise `schedulePersist` reports why it cannot.
    let persistInRecord: Bool

    init(
      of inode: InodeRecord, path: String, length: Int64, fingerprint: String, schedulePersist: Bool, at time: Int64,
      master: FileSystemMaster
    ) {
      fileID = inode.id
      self.path = path
      self.length = length
      self.fingerprint = fingerprint
      self.time = time
      blockIDs = BlockIDs.forFile(containerID: inode.blockContainerID, length: length, blockSize: inode.blockSizeBytes)
      persistLater = schedulePersist && length > 0 && fingerprint.isEmpty
      let locations = persistLater ? master.blockMaster.locations(of: blockIDs) : [:]
      persistInRecord = persistLater && blockIDs.allSatisfy { !(locations[$0] ?? []).isEmpty }
    }

    func plan(in state: borrowing NamespaceState) throws -> (entries: [JournalEntry], result: FileInfo) {
      guard var inode = state.inode(at: path), inode.id == fileID, !inode.completed else {
        throw GooseFSError(.failedPrecondition, "File \"\(path)\" changed while it was being completed.")
      }
      inode.completed = true
      inode.length = length
      inode.lastModificationTimeMs = time
      inode.blockIds = blockIDs
      if !fingerprint.isEmpty {
        inode.persistenceState = .persisted
        inode.ufsFingerprint = fingerprint
      } else if persistInRecord, inode.persistenceState != .persisted {
        inode.persistenceState = .toBePersisted
      }
      return ([.with { $0.upsertInode = inode }], state.fileInfo(inode, path: path))
    }
  }

  struct DirectoryChainPlan {
    var entries: [JournalEntry]
    /// The id `path` has once the entries are applied.
    var targetID: Int64
    /// The first inode id the entries leave unused.
    var nextID: Int64
  }

  /// Upsert entries creating every missing directory down to `path`.
  func newDirectoryChain(
    to path: String, mode: UInt32, recursive: Bool, persisted: Bool, caller: CallerIdentity,
    in state: borrowing NamespaceState, allowExistingTarget: Bool = false
  ) throws -> DirectoryChainPlan {
    let chain = state.existingPrefix(of: path)
    let components = NamespacePath.components(path)
    guard let deepest = chain.last else { throw GooseFSError(.unavailable, "The namespace has no root yet.") }
    if chain.count == components.count + 1 {
      guard allowExistingTarget, deepest.kind == .directory else { throw GooseFSError.pathAlreadyExists(path) }
      return DirectoryChainPlan(entries: [], targetID: deepest.id, nextID: state.nextInodeID)
    }
    guard deepest.kind == .directory else {
      throw GooseFSError(.invalidArgument, "Cannot create \"\(path)\": \"\(state.path(of: deepest.id))\" is a file.")
    }
    let missing = components[(chain.count - 1)...]
    if missing.count > 1, !recursive {
      throw GooseFSError.pathDoesNotExist(NamespacePath.parent(path) ?? NamespacePath.root)
    }
    try permissions.checkTraversal(caller, chain: chain + [deepest], path: path)
    try permissions.check(caller, .write, on: deepest, path: path)
    if let mount = state.mount(containing: path), mount.readOnly, persisted {
      throw GooseFSError(.permissionDenied, "Cannot create \"\(path)\": mount point \(mount.goosefsPath) is read-only.")
    }
    let time = now
    var entries: [JournalEntry] = []
    var parentID = deepest.id
    var nextID = state.nextInodeID
    for name in missing {
      var record = InodeRecord()
      record.id = nextID
      record.parentID = parentID
      record.name = name
      record.kind = .directory
      record.mode = mode
      record.owner = caller.user
      record.group = caller.primaryGroup
      record.creationTimeMs = time
      record.lastModificationTimeMs = time
      record.completed = true
      record.cacheable = true
      record.ttlMs = -1
      record.replicationMax = -1
      record.persistenceState = persisted ? .persisted : .notPersisted
      // Nothing below a directory GooseFS just created can be in the under store yet.
      record.directChildrenLoaded = true
      entries.append(.with { $0.upsertInode = record })
      parentID = nextID
      nextID += 1
    }
    if let touch = touchedParent(deepest.id, in: state, at: time) { entries.insert(touch, at: 0) }
    return DirectoryChainPlan(entries: entries, targetID: parentID, nextID: nextID)
  }

  /// Creates `path` (a directory) and its missing parents in the under store, marking existing
  /// not-yet-persisted ancestors persisted, so that writes below it can reach the under store.
  func createInUnderStore(_ path: String, directoryMode: UInt32, recursive: Bool, caller: CallerIdentity) async throws {
    let plan = namespace.read { state -> (ResolvedPath, [Int64])? in
      guard let resolved = state.resolve(path) else { return nil }
      let unpersisted = state.existingPrefix(of: path)
        .filter { $0.persistenceState != .persisted && state.mount(at: state.path(of: $0.id)) == nil }
        .map(\.id)
      return (resolved, unpersisted)
    }
    guard let (resolved, unpersisted) = plan else { return }
    if resolved.mount.readOnly {
      throw GooseFSError(.permissionDenied, "Cannot write \"\(path)\": mount point \(resolved.mount.goosefsPath) is read-only.")
    }
    let ufs = try ufsManager.client(for: resolved.mount)
    if try await ufs.status(resolved.ufsPath) == nil {
      _ = try await ufs.createDirectory(resolved.ufsPath, mode: UInt16(directoryMode), createParents: true)
    }
    guard !unpersisted.isEmpty else { return }
    try await namespace.mutate { state in
      let entries: [JournalEntry] = unpersisted.compactMap { id in
        guard var inode = state.inodes[id], inode.persistenceState != .persisted else { return nil }
        inode.persistenceState = .persisted
        return .with { $0.upsertInode = inode }
      }
      return (entries, ())
    }
  }
}
