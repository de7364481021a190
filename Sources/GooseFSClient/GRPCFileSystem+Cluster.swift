import GooseFSCore
import GooseFSRPC

// Master calls of the data side: free, persist, the worker list, block locations, metrics.
extension GRPCFileSystem {
  private typealias FS = Goosefs_Grpc_FileSystemMasterClientService
  private typealias Blocks = Goosefs_Grpc_BlockMaster
  private typealias Meta = Goosefs_Grpc_MetaMasterClientService

  public func free(_ path: String, recursive: Bool, forced: Bool) async throws -> FreeResult {
    await data.completions.settle(path, subtree: true)
    let request = Goosefs_Grpc_FreeRequest.with {
      $0.path = path
      $0.recursive = recursive
      $0.forced = forced
    }
    let response = try await connection.call("free \(path)", timeout: MasterConnection.longCallTimeout) { client, metadata, options in
      try await FS.Client(wrapping: client).free(request, metadata: metadata, options: options)
    }
    return FreeResult(
      freedBlockCount: response.freedBlockCount, notPersistedPaths: response.notPersistedPaths,
      pinnedPaths: response.pinnedPaths)
  }

  /// Asks the master to have a worker write the file to the under store, then waits until the
  /// namespace says PERSISTED (Alluxio's `persist` waits the same way).
  public func persist(_ path: String) async throws {
    await data.completions.settle(path, subtree: false)
    let request = Goosefs_Grpc_SchedulePersistRequest.with { $0.path = path }
    _ = try await connection.call("persist \(path)") { client, metadata, options in
      try await FS.Client(wrapping: client).schedulePersist(request, metadata: metadata, options: options)
    }
    let poll = try data.settings().persistPoll
    let deadline = ContinuousClock.now + .seconds(3600)
    while ContinuousClock.now < deadline {
      let info = try await getStatus(path, syncIntervalMs: -1)
      if info.persistenceState == .persisted { return }
      try await Task.sleep(for: poll)
    }
    throw GooseFSError(.deadlineExceeded, "Timed out waiting for \(path) to be persisted.")
  }

  public func workers() async throws -> [WorkerInfo] {
    let request = Goosefs_Grpc_GetWorkerInfoListRequest.with { $0.includeLost = true }
    let response = try await connection.call("list workers") { client, metadata, options in
      try await Blocks.Client(wrapping: client).getWorkerInfoList(request, metadata: metadata, options: options)
    }
    return response.workers.map(WorkerInfo.init)
  }

  func reportClientMetrics(_ deltas: [String: Double]) async throws {
    let request = Goosefs_Grpc_ReportClientMetricsRequest.with { $0.counterDeltas = deltas }
    _ = try await connection.call("report client metrics") { client, metadata, options in
      try await Meta.Client(wrapping: client).reportClientMetrics(request, metadata: metadata, options: options)
    }
  }
}
