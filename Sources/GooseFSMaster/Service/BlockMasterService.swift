import GRPCCore
import GooseFSCore
import GooseFSRPC

/// The gRPC face of the block master: workers register, heartbeat and commit blocks here;
/// clients ask for the worker list and block locations.
struct BlockMasterService: Goosefs_Grpc_BlockMaster.ServiceProtocol {
  let master: FileSystemMaster
  var blocks: BlockMaster { master.blockMaster }

  func getWorkerId(
    request: ServerRequest<Goosefs_Grpc_GetWorkerIdRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetWorkerIdResponse> {
    try await RPCHandling.unary(request) { m, _ in
      let id = blocks.workerID(for: WorkerNetAddress(m.address))
      return .with {
        $0.workerID = id
        $0.clusterID = master.clusterID
      }
    }
  }

  func registerWorker(
    request: ServerRequest<Goosefs_Grpc_RegisterWorkerRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_RegisterWorkerResponse> {
    try await RPCHandling.unary(request) { m, _ in
      try await master.registerWorker(
        id: m.workerID, address: WorkerNetAddress(m.address), tiers: m.tiers.map(TierCapacity.init),
        blocks: m.blocks.map { ($0.blockID, $0.tierAlias) }, startTimeMs: m.startTimeMs, usageSequence: m.usageSequence)
      return Goosefs_Grpc_RegisterWorkerResponse()
    }
  }

  func workerHeartbeat(
    request: ServerRequest<Goosefs_Grpc_WorkerHeartbeatRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_WorkerHeartbeatResponse> {
    try await RPCHandling.unary(request) { m, _ in
      let commands = try await master.workerHeartbeat(
        id: m.workerID, tiers: m.tiers.map(TierCapacity.init), usageSequence: m.usageSequence,
        added: m.addedBlocks.map { ($0.blockID, $0.tierAlias) },
        removed: m.removedBlockIds, metricDeltas: m.metricDeltas)
      return .with {
        $0.register = commands.mustRegister
        $0.freeBlockIds = commands.free
        $0.pinnedContainers = master.pinnedBlockContainers()
        $0.persist = commands.persist.map { job in
          .with {
            $0.fileID = job.fileID
            $0.path = job.path
            $0.mountID = job.mountID
            $0.ufsPath = job.ufsPath
            $0.length = job.length
            $0.blocks = job.blocks.map(\.proto)
          }
        }
      }
    }
  }

  func commitBlock(
    request: ServerRequest<Goosefs_Grpc_CommitBlockRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_CommitBlockResponse> {
    try await RPCHandling.unary(request, commitBlock(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol (a worker commits every block it
  /// writes: on the path of each small-file write).
  @Sendable func commitBlock(_ m: Goosefs_Grpc_CommitBlockRequest, caller: CallerIdentity) async throws
    -> Goosefs_Grpc_CommitBlockResponse
  {
    try await master.commitBlock(
      worker: m.workerID, block: m.blockID, tier: m.tierAlias, tiers: m.tiers.map(TierCapacity.init),
      usageSequence: m.usageSequence)
    return Goosefs_Grpc_CommitBlockResponse()
  }

  /// `commitBlock` on the framed server's event loop.
  @Sendable func commitBlockNow(_ m: Goosefs_Grpc_CommitBlockRequest, caller: CallerIdentity) throws
    -> InlineReply<Goosefs_Grpc_CommitBlockResponse>?
  {
    let (pending, whenDurable) = try master.commitBlockNow(
      worker: m.workerID, block: m.blockID, tier: m.tierAlias, tiers: m.tiers.map(TierCapacity.init),
      usageSequence: m.usageSequence)
    return InlineReply(response: Goosefs_Grpc_CommitBlockResponse(), pending: pending, whenDurable: whenDurable)
  }

  func getWorkerInfoList(
    request: ServerRequest<Goosefs_Grpc_GetWorkerInfoListRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetWorkerInfoListResponse> {
    try await RPCHandling.unary(request) { m, _ in
      .with { $0.workers = blocks.workerInfos(includeLost: m.includeLost).map(\.proto) }
    }
  }

  func getBlockInfo(
    request: ServerRequest<Goosefs_Grpc_GetBlockInfoRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetBlockInfoResponse> {
    try await RPCHandling.unary(request) { m, _ in
      let locations = blocks.locations(of: m.blockIds)
      return .with {
        $0.blocks = m.blockIds.map { id in
          .with {
            $0.blockID = id
            $0.locations = (locations[id] ?? []).map(\.proto)
          }
        }
      }
    }
  }

  func getUfsInfo(
    request: ServerRequest<Goosefs_Grpc_GetUfsInfoRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetUfsInfoResponse> {
    try await RPCHandling.unary(request) { m, _ in
      let info = try master.ufsInfo(mountID: m.mountID)
      return .with {
        $0.ufsUri = info.uri
        $0.properties = info.options
        $0.readOnly = info.readOnly
      }
    }
  }

  func commitPersist(
    request: ServerRequest<Goosefs_Grpc_CommitPersistRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_CommitPersistResponse> {
    try await RPCHandling.unary(request, commitPersist(_:caller:))
  }

  /// The call itself, shared by gRPC and the framed protocol (one per file an ASYNC_THROUGH
  /// write persists).
  @Sendable func commitPersist(_ m: Goosefs_Grpc_CommitPersistRequest, caller: CallerIdentity) async throws
    -> Goosefs_Grpc_CommitPersistResponse
  {
    try await master.commitPersist(fileID: m.fileID, fingerprint: m.ufsFingerprint, failure: m.failed ? m.error : nil)
    return Goosefs_Grpc_CommitPersistResponse()
  }

  /// `commitPersist` on the framed server's event loop, or nil when it must run as a task.
  @Sendable func commitPersistNow(_ m: Goosefs_Grpc_CommitPersistRequest, caller: CallerIdentity) throws
    -> InlineReply<Goosefs_Grpc_CommitPersistResponse>?
  {
    guard let pending = try master.commitPersistNow(fileID: m.fileID, fingerprint: m.ufsFingerprint, failure: m.failed ? m.error : nil)
    else { return nil }
    return InlineReply(response: Goosefs_Grpc_CommitPersistResponse(), pending: pending)
  }
}
