import GRPCCore
import GooseFSCore
import GooseFSRPC

/// The gRPC face of the namespace: decodes requests, calls `FileSystemMaster`, encodes answers.
struct FileSystemMasterService: Goosefs_Grpc_FileSystemMasterClientService.ServiceProtocol {
  let master: FileSystemMaster

  private static func interval(_ sync: Goosefs_Grpc_SyncOptions?) -> Int64? {
    guard let sync, sync.hasSyncIntervalMs else { return nil }
    return sync.syncIntervalMs
  }

  func getStatus(
    request: ServerRequest<Goosefs_Grpc_GetStatusRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetStatusResponse> {
    try await RPCHandling.unary(request, getStatus(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func getStatus(_ message: Goosefs_Grpc_GetStatusRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_GetStatusResponse {
    let info = try await master.getStatus(message.path, syncIntervalMs: Self.interval(message.hasSync ? message.sync : nil), caller: caller)
    return .with { $0.info = master.withBlocks(info, withBlockInfos: true).proto }
  }

  /// `getStatus` answered on the caller's thread (the framed server's event loop), or nil when
  /// it must run as a task (a folder on the way is due for a sync with the under store).
  @Sendable func getStatusNow(_ message: Goosefs_Grpc_GetStatusRequest, caller: CallerIdentity) throws -> Goosefs_Grpc_GetStatusResponse? {
    guard let info = try master.getStatusNow(message.path, syncIntervalMs: Self.interval(message.hasSync ? message.sync : nil), caller: caller)
    else { return nil }
    return .with { $0.info = master.withBlocks(info, withBlockInfos: true).proto }
  }

  func listStatus(
    request: ServerRequest<Goosefs_Grpc_ListStatusRequest>, context: ServerContext
  ) async throws -> StreamingServerResponse<Goosefs_Grpc_ListStatusResponse> {
    let caller: CallerIdentity
    do {
      caller = try CallerIdentity(metadata: request.metadata)
    } catch {
      throw RPCErrorMapping.rpcError(from: error)
    }
    let message = request.message
    return StreamingServerResponse { writer in
      do {
        try await master.listStatus(
          message.path, recursive: message.recursive,
          syncIntervalMs: Self.interval(message.hasSync ? message.sync : nil), pageSize: Int(message.pageSize),
          caller: caller
        ) { page in
          try await writer.write(.with { $0.infos = page.map { master.listed($0).proto } })
        }
      } catch {
        throw RPCErrorMapping.rpcError(from: error)
      }
      return [:]
    }
  }

  func createDirectory(
    request: ServerRequest<Goosefs_Grpc_CreateDirectoryRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_CreateDirectoryResponse> {
    try await RPCHandling.unary(request, createDirectory(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func createDirectory(_ m: Goosefs_Grpc_CreateDirectoryRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_CreateDirectoryResponse {
    let info = try await master.createDirectory(
      CreateDirectoryRequest(
        path: m.path, recursive: m.recursive, allowExists: m.allowExists, mode: m.hasMode ? m.mode : nil,
        persist: m.persist),
      caller: caller)
    return .with { $0.info = info.proto }
  }

  func createFile(
    request: ServerRequest<Goosefs_Grpc_CreateFileRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_CreateFileResponse> {
    try await RPCHandling.unary(request, createFile(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func createFile(_ m: Goosefs_Grpc_CreateFileRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_CreateFileResponse {
    let info = try await master.createFile(Self.createFileRequest(m), caller: caller)
    return .with { $0.info = info.proto }
  }

  /// `createFile` on the framed server's event loop, or nil when it must run as a task.
  @Sendable func createFileNow(_ m: Goosefs_Grpc_CreateFileRequest, caller: CallerIdentity) throws
    -> InlineReply<Goosefs_Grpc_CreateFileResponse>?
  {
    guard let (info, pending) = try master.createFileNow(Self.createFileRequest(m), caller: caller) else { return nil }
    return InlineReply(response: .with { $0.info = info.proto }, pending: pending)
  }

  private static func createFileRequest(_ m: Goosefs_Grpc_CreateFileRequest) -> CreateFileRequest {
    CreateFileRequest(
      path: m.path, recursive: m.recursive, mode: m.hasMode ? m.mode : nil, blockSizeBytes: m.blockSizeBytes,
      ttlMs: m.hasTtlMs ? m.ttlMs : nil, ttlAction: TTLAction(m.ttlAction), replicationMin: m.replicationMin,
      replicationMax: m.replicationMax, persist: m.persist, overwrite: m.overwrite)
  }

  func completeFile(
    request: ServerRequest<Goosefs_Grpc_CompleteFileRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_CompleteFileResponse> {
    try await RPCHandling.unary(request, completeFile(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func completeFile(_ m: Goosefs_Grpc_CompleteFileRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_CompleteFileResponse {
    let info = try await master.completeFile(
      m.path, length: m.length, ufsFingerprint: m.ufsFingerprint, schedulePersist: m.schedulePersist, caller: caller)
    return .with { $0.info = info.proto }
  }

  /// `completeFile` on the framed server's event loop, or nil when it must run as a task.
  @Sendable func completeFileNow(_ m: Goosefs_Grpc_CompleteFileRequest, caller: CallerIdentity) throws
    -> InlineReply<Goosefs_Grpc_CompleteFileResponse>?
  {
    guard
      let (info, pending, whenDurable) = try master.completeFileNow(
        m.path, length: m.length, ufsFingerprint: m.ufsFingerprint, schedulePersist: m.schedulePersist, caller: caller)
    else { return nil }
    return InlineReply(response: .with { $0.info = info.proto }, pending: pending, whenDurable: whenDurable)
  }

  func remove(
    request: ServerRequest<Goosefs_Grpc_RemoveRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_RemoveResponse> {
    try await RPCHandling.unary(request, remove(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func remove(_ m: Goosefs_Grpc_RemoveRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_RemoveResponse {
    try await master.remove(m.path, recursive: m.recursive, goosefsOnly: m.goosefsOnly, caller: caller)
    return Goosefs_Grpc_RemoveResponse()
  }

  func rename(
    request: ServerRequest<Goosefs_Grpc_RenameRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_RenameResponse> {
    try await RPCHandling.unary(request, rename(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func rename(_ m: Goosefs_Grpc_RenameRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_RenameResponse {
    try await master.rename(m.source, to: m.destination, caller: caller)
    return Goosefs_Grpc_RenameResponse()
  }

  func setAttribute(
    request: ServerRequest<Goosefs_Grpc_SetAttributeRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_SetAttributeResponse> {
    try await RPCHandling.unary(request, setAttribute(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func setAttribute(_ m: Goosefs_Grpc_SetAttributeRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_SetAttributeResponse {
    let info = try await master.setAttribute(
      SetAttributeRequest(
        path: m.path, recursive: m.recursive, mode: m.hasMode ? m.mode : nil, owner: m.hasOwner ? m.owner : nil,
        group: m.hasGroup ? m.group : nil, pinned: m.hasPinned ? m.pinned : nil, ttlMs: m.hasTtlMs ? m.ttlMs : nil,
        ttlAction: m.hasTtlAction ? TTLAction(m.ttlAction) : nil,
        replicationMin: m.hasReplicationMin ? m.replicationMin : nil,
        replicationMax: m.hasReplicationMax ? m.replicationMax : nil,
        lastModificationTimeMs: m.hasLastModificationTimeMs ? m.lastModificationTimeMs : nil),
      caller: caller)
    // With its blocks, as getStatus answers.
    return .with { if let info { $0.info = master.withBlocks(info, withBlockInfos: true).proto } }
  }

  func mount(
    request: ServerRequest<Goosefs_Grpc_MountRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_MountResponse> {
    try await RPCHandling.unary(request) { m, caller in
      try await master.mount(
        m.goosefsPath, ufsURI: m.ufsUri, readOnly: m.readOnly, shared: m.shared, properties: m.properties, caller: caller)
      return Goosefs_Grpc_MountResponse()
    }
  }

  func unmount(
    request: ServerRequest<Goosefs_Grpc_UnmountRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_UnmountResponse> {
    try await RPCHandling.unary(request) { m, caller in
      try await master.unmount(m.goosefsPath, caller: caller)
      return Goosefs_Grpc_UnmountResponse()
    }
  }

  func getMountTable(
    request: ServerRequest<Goosefs_Grpc_GetMountTableRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetMountTableResponse> {
    try await RPCHandling.unary(request) { _, _ in
      let mounts = await master.mountTable()
      return .with { $0.mountPoints = mounts.map(\.proto) }
    }
  }

  func loadMetadata(
    request: ServerRequest<Goosefs_Grpc_LoadMetadataRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_LoadMetadataResponse> {
    try await RPCHandling.unary(request) { m, caller in
      let path = try NamespacePath.normalize(m.path)
      let interval: Int64 = m.force ? 0 : master.settings.defaultSyncIntervalMs
      let count: Int64
      if m.recursive {
        count = try await master.syncTree(path, intervalMs: interval)
      } else {
        try await master.syncPath(path, intervalMs: interval, includeTarget: true)
        count = 1
      }
      _ = try await master.getStatus(path, syncIntervalMs: -1, caller: caller)
      return .with { $0.loadedCount = count }
    }
  }

  func checkConsistency(
    request: ServerRequest<Goosefs_Grpc_CheckConsistencyRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_CheckConsistencyResponse> {
    try await RPCHandling.unary(request) { m, caller in
      let report = try await master.checkConsistency(m.path, repair: m.repair, caller: caller)
      return .with {
        $0.inconsistentPaths = report.paths
        $0.repairedCount = report.repaired
      }
    }
  }

  func free(
    request: ServerRequest<Goosefs_Grpc_FreeRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_FreeResponse> {
    try await RPCHandling.unary(request) { m, caller in
      let outcome = try await master.free(m.path, recursive: m.recursive, forced: m.forced, caller: caller)
      return .with {
        $0.freedBlockCount = Int64(outcome.freedBlocks)
        $0.notPersistedPaths = outcome.notPersisted
        $0.pinnedPaths = outcome.pinned
      }
    }
  }

  func schedulePersist(
    request: ServerRequest<Goosefs_Grpc_SchedulePersistRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_SchedulePersistResponse> {
    try await RPCHandling.unary(request, schedulePersist(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol.
  @Sendable func schedulePersist(_ m: Goosefs_Grpc_SchedulePersistRequest, caller: CallerIdentity) async throws -> Goosefs_Grpc_SchedulePersistResponse {
    try await master.schedulePersist(m.path, caller: caller)
    return Goosefs_Grpc_SchedulePersistResponse()
  }
}
