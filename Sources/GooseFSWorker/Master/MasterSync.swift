import GRPCCore
import GooseFSCore
import GooseFSRPC
import Logging
import Synchronization

/// The worker's side of the block master protocol: obtains an id, registers its blocks, sends
/// heartbeats with usage and block changes, and carries out the commands that come back.
final class MasterSync: Sendable {
  typealias Service = Goosefs_Grpc_BlockMaster
  let connection: MasterConnection
  let address: WorkerNetAddress
  let metrics: WorkerMetrics
  let logger: Logger
  let startTimeMs: Int64

  private struct Identity {
    var workerID: Int64 = 0
    var clusterID = ""
    var needsRegistration = true
  }
  private let identity = Mutex(Identity())

  init(connection: MasterConnection, address: WorkerNetAddress, metrics: WorkerMetrics, startTimeMs: Int64, logger: Logger) {
    self.connection = connection
    self.address = address
    self.metrics = metrics
    self.startTimeMs = startTimeMs
    self.logger = logger
  }

  var workerID: Int64 { identity.withLock { $0.workerID } }

  /// Asks the master for this worker's id; returns the cluster id the blocks must belong to.
  @discardableResult
  func obtainWorkerID() async throws -> (workerID: Int64, clusterID: String) {
    let request = Goosefs_Grpc_GetWorkerIdRequest.with { $0.address = address.proto }
    let response = try await connection.call("get a worker id") { client, metadata, options in
      try await Service.Client(wrapping: client).getWorkerId(request, metadata: metadata, options: options)
    }
    identity.withLock {
      $0.workerID = response.workerID
      $0.clusterID = response.clusterID
    }
    return (response.workerID, response.clusterID)
  }

  /// Sends the full block report. A master whose cluster id changed (journal formatted) means
  /// every cached block belongs to a namespace that no longer exists: the store is emptied first.
  func register(store: TieredBlockStore) async throws {
    let previousCluster = identity.withLock { $0.clusterID }
    let (id, cluster) = try await obtainWorkerID()
    if !previousCluster.isEmpty, cluster != previousCluster {
      logger.warning("The master now serves cluster \(cluster) (was \(previousCluster)): discarding all cached blocks.")
      try await store.adoptCluster(cluster)
    }
    _ = store.drainChanges()  // the full report below supersedes pending deltas
    let request = Goosefs_Grpc_RegisterWorkerRequest.with {
      $0.workerID = id
      $0.address = address.proto
      let usage = store.numberedUsage()
      $0.tiers = usage.tiers.map(\.proto)
      $0.usageSequence = usage.sequence
      $0.blocks = store.blocks().map { block in
        .with {
          $0.blockID = block.blockID
          $0.length = block.length
          $0.tierAlias = block.tierAlias
        }
      }
      $0.startTimeMs = startTimeMs
    }
    _ = try await connection.call("register worker") { client, metadata, options in
      try await Service.Client(wrapping: client).registerWorker(request, metadata: metadata, options: options)
    }
    identity.withLock { $0.needsRegistration = false }
    logger.info("Registered with the master as worker \(id) (\(request.blocks.count) blocks).")
  }

  /// One heartbeat; returns the master's commands. Any failure makes the next beat a registration,
  /// so block changes drained for a lost heartbeat are never forgotten.
  func beat(store: TieredBlockStore) async throws -> Goosefs_Grpc_WorkerHeartbeatResponse? {
    if identity.withLock({ $0.needsRegistration }) {
      try await register(store: store)
      return nil
    }
    let changes = store.drainChanges()
    let deltas = metrics.drain()
    let request = Goosefs_Grpc_WorkerHeartbeatRequest.with {
      $0.workerID = workerID
      let usage = store.numberedUsage()
      $0.tiers = usage.tiers.map(\.proto)
      $0.usageSequence = usage.sequence
      $0.addedBlocks = changes.added.map { block in
        .with {
          $0.blockID = block.blockID
          $0.length = block.length
          $0.tierAlias = block.tierAlias
        }
      }
      $0.removedBlockIds = changes.removed
      $0.metricDeltas = deltas
    }
    do {
      let response = try await connection.call("send a heartbeat") { client, metadata, options in
        try await Service.Client(wrapping: client).workerHeartbeat(request, metadata: metadata, options: options)
      }
      if response.register {
        logger.info("The master asked this worker to register again (master restarted or worker was lost).")
        identity.withLock { $0.needsRegistration = true }
      }
      return response
    } catch {
      metrics.restore(deltas)
      identity.withLock { $0.needsRegistration = true }
      throw error
    }
  }

  func commitBlock(_ block: StoredBlockInfo, store: TieredBlockStore) async throws {
    let request = Goosefs_Grpc_CommitBlockRequest.with {
      $0.workerID = workerID
      $0.blockID = block.blockID
      $0.length = block.length
      $0.tierAlias = block.tierAlias
      let usage = store.numberedUsage()
      $0.tiers = usage.tiers.map(\.proto)
      $0.usageSequence = usage.sequence
    }
    _ = try await connection.call(
      "commit block \(block.blockID)", framed: .commitBlock, request, as: Goosefs_Grpc_CommitBlockResponse.self
    ) { client, metadata, options in
      try await Service.Client(wrapping: client).commitBlock(request, metadata: metadata, options: options)
    }
  }

  func ufsInfo(mountID: Int64) async throws -> Goosefs_Grpc_GetUfsInfoResponse {
    let request = Goosefs_Grpc_GetUfsInfoRequest.with { $0.mountID = mountID }
    return try await connection.call("get the under store of mount \(mountID)") { client, metadata, options in
      try await Service.Client(wrapping: client).getUfsInfo(request, metadata: metadata, options: options)
    }
  }

  func commitPersist(fileID: Int64, fingerprint: String, failure: String?) async throws {
    let request = Goosefs_Grpc_CommitPersistRequest.with {
      $0.fileID = fileID
      $0.ufsFingerprint = fingerprint
      $0.failed = failure != nil
      $0.error = failure ?? ""
    }
    _ = try await connection.call(
      "commit the persist of file \(fileID)", framed: .commitPersist, request, as: Goosefs_Grpc_CommitPersistResponse.self
    ) { client, metadata, options in
      try await Service.Client(wrapping: client).commitPersist(request, metadata: metadata, options: options)
    }
  }
}
