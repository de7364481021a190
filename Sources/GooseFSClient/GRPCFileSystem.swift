import GRPCCore
import GooseFSCore
import GooseFSRPC

/// `FileSystem` over the master's gRPC services.
public struct GRPCFileSystem: FileSystem {
  let connection: MasterConnection
  let data: ClientDataContext

  public init(connection: MasterConnection) {
    self.connection = connection
    self.data = ClientDataContext(configuration: connection.configuration)
  }

  private typealias FS = Goosefs_Grpc_FileSystemMasterClientService
  private typealias Meta = Goosefs_Grpc_MetaMasterClientService

  private func sync(_ interval: Int64?) -> Goosefs_Grpc_SyncOptions {
    var options = Goosefs_Grpc_SyncOptions()
    options.syncIntervalMs = interval ?? connection.syncIntervalMs
    return options
  }

  public func getStatus(_ path: String, syncIntervalMs: Int64?) async throws -> FileInfo {
    await data.completions.settle(path, subtree: false)
    let request = Goosefs_Grpc_GetStatusRequest.with {
      $0.path = path
      $0.sync = sync(syncIntervalMs)
    }
    let response = try await connection.call(
      "get the status of \(path)", framed: .getStatus, request, as: Goosefs_Grpc_GetStatusResponse.self
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).getStatus(request, metadata: metadata, options: options)
    }
    return FileInfo(response.info)
  }

  public func listStatus(
    _ path: String, recursive: Bool, syncIntervalMs: Int64?,
    onPage: @escaping @Sendable ([FileInfo]) async throws -> Void
  ) async throws {
    await data.completions.settle(path, subtree: true)
    let request = Goosefs_Grpc_ListStatusRequest.with {
      $0.path = path
      $0.recursive = recursive
      $0.sync = sync(syncIntervalMs)
    }
    // Retrying after pages were delivered would repeat them; only a call that delivered nothing is retried.
    let progress = ListingProgress()
    try await connection.call("list \(path)", timeout: MasterConnection.longCallTimeout) { client, metadata, options in
      do {
        try await FS.Client(wrapping: client).listStatus(request, metadata: metadata, options: options) { response in
          for try await page in response.messages {
            progress.markDelivered()
            try await onPage(page.infos.map(FileInfo.init))
          }
        }
      } catch {
        guard progress.delivered else { throw error }
        let cause = RPCErrorMapping.goosefsError(from: error)
        throw GooseFSError(.ioError, "Listing \(path) was interrupted after part of it was received: \(cause.message)")
      }
    }
  }

  public func createDirectory(_ path: String, recursive: Bool, allowExists: Bool, mode: UInt32?) async throws -> FileInfo {
    await data.completions.settle(path, subtree: false)
    let request = Goosefs_Grpc_CreateDirectoryRequest.with {
      $0.path = path
      $0.recursive = recursive
      $0.allowExists = allowExists
      if let mode { $0.mode = mode }
      $0.persist = connection.persistByDefault
    }
    let response = try await connection.call(
      "create directory \(path)", framed: .createDirectory, request, as: Goosefs_Grpc_CreateDirectoryResponse.self
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).createDirectory(request, metadata: metadata, options: options)
    }
    return FileInfo(response.info)
  }

  public func createFile(_ path: String, options createOptions: CreateFileOptions) async throws -> FileInfo {
    try await createFile(path, options: createOptions, persistOverride: nil)
  }

  /// `persistOverride` replaces the connection's default write type (streams know their own).
  func createFile(_ path: String, options createOptions: CreateFileOptions, persistOverride: Bool?) async throws -> FileInfo {
    await data.completions.settle(path, subtree: false)
    let request = Goosefs_Grpc_CreateFileRequest.with {
      $0.path = path
      $0.recursive = createOptions.recursive
      if let mode = createOptions.mode { $0.mode = mode }
      $0.blockSizeBytes = createOptions.blockSizeBytes
      if let ttl = createOptions.ttlMs { $0.ttlMs = ttl }
      $0.ttlAction = createOptions.ttlAction.proto
      $0.replicationMin = createOptions.replicationMin
      $0.replicationMax = createOptions.replicationMax
      $0.persist = persistOverride ?? (createOptions.persist || connection.persistByDefault)
      $0.overwrite = createOptions.overwrite
    }
    let response = try await connection.call(
      "create file \(path)", framed: .createFile, request, as: Goosefs_Grpc_CreateFileResponse.self
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).createFile(request, metadata: metadata, options: options)
    }
    return FileInfo(response.info)
  }

  public func completeFile(_ path: String, length: Int64) async throws -> FileInfo {
    await data.completions.settle(path, subtree: false)
    let request = Goosefs_Grpc_CompleteFileRequest.with {
      $0.path = path
      $0.length = length
    }
    let response = try await connection.call(
      "complete file \(path)", framed: .completeFile, request, as: Goosefs_Grpc_CompleteFileResponse.self
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).completeFile(request, metadata: metadata, options: options)
    }
    return FileInfo(response.info)
  }

  public func remove(_ path: String, recursive: Bool, goosefsOnly: Bool) async throws {
    await data.completions.settle(path, subtree: true)
    let request = Goosefs_Grpc_RemoveRequest.with {
      $0.path = path
      $0.recursive = recursive
      $0.goosefsOnly = goosefsOnly
    }
    _ = try await connection.call(
      "remove \(path)", framed: .remove, request, as: Goosefs_Grpc_RemoveResponse.self, timeout: MasterConnection.longCallTimeout
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).remove(request, metadata: metadata, options: options)
    }
  }

  public func rename(_ source: String, to destination: String) async throws {
    await data.completions.settle(source, subtree: true)
    await data.completions.settle(destination, subtree: true)
    let request = Goosefs_Grpc_RenameRequest.with {
      $0.source = source
      $0.destination = destination
    }
    _ = try await connection.call(
      "rename \(source)", framed: .rename, request, as: Goosefs_Grpc_RenameResponse.self, timeout: MasterConnection.longCallTimeout
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).rename(request, metadata: metadata, options: options)
    }
  }

  @discardableResult
  public func setAttribute(_ path: String, _ attributes: SetAttributeOptions) async throws -> FileInfo? {
    await data.completions.settle(path, subtree: true)
    let request = Goosefs_Grpc_SetAttributeRequest.with {
      $0.path = path
      $0.recursive = attributes.recursive
      if let mode = attributes.mode { $0.mode = mode }
      if let owner = attributes.owner { $0.owner = owner }
      if let group = attributes.group { $0.group = group }
      if let pinned = attributes.pinned { $0.pinned = pinned }
      if let ttl = attributes.ttlMs { $0.ttlMs = ttl }
      if let action = attributes.ttlAction { $0.ttlAction = action.proto }
      if let minimum = attributes.replicationMin { $0.replicationMin = minimum }
      if let maximum = attributes.replicationMax { $0.replicationMax = maximum }
      if let time = attributes.lastModificationTimeMs { $0.lastModificationTimeMs = time }
    }
    let response = try await connection.call(
      "set attributes of \(path)", framed: .setAttribute, request, as: Goosefs_Grpc_SetAttributeResponse.self, timeout: MasterConnection.longCallTimeout
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).setAttribute(request, metadata: metadata, options: options)
    }
    return response.hasInfo ? FileInfo(response.info) : nil
  }

  public func mount(_ goosefsPath: String, ufsURI: String, options mountOptions: MountOptions) async throws {
    await data.completions.settle(goosefsPath, subtree: true)
    let request = Goosefs_Grpc_MountRequest.with {
      $0.goosefsPath = goosefsPath
      $0.ufsUri = ufsURI
      $0.readOnly = mountOptions.readOnly
      $0.shared = mountOptions.shared
      $0.properties = mountOptions.properties
    }
    _ = try await connection.call("mount \(ufsURI)") { client, metadata, options in
      try await FS.Client(wrapping: client).mount(request, metadata: metadata, options: options)
    }
  }

  public func unmount(_ goosefsPath: String) async throws {
    await data.completions.settle(goosefsPath, subtree: true)
    let request = Goosefs_Grpc_UnmountRequest.with { $0.goosefsPath = goosefsPath }
    _ = try await connection.call("unmount \(goosefsPath)") { client, metadata, options in
      try await FS.Client(wrapping: client).unmount(request, metadata: metadata, options: options)
    }
  }

  public func mountTable() async throws -> [MountPointInfo] {
    let response = try await connection.call("get the mount table") { client, metadata, options in
      try await FS.Client(wrapping: client).getMountTable(Goosefs_Grpc_GetMountTableRequest(), metadata: metadata, options: options)
    }
    return response.mountPoints.map(MountPointInfo.init)
  }

  public func loadMetadata(_ path: String, recursive: Bool, force: Bool) async throws -> Int64 {
    await data.completions.settle(path, subtree: true)
    let request = Goosefs_Grpc_LoadMetadataRequest.with {
      $0.path = path
      $0.recursive = recursive
      $0.force = force
    }
    let response = try await connection.call("load metadata of \(path)", timeout: MasterConnection.longCallTimeout) { client, metadata, options in
      try await FS.Client(wrapping: client).loadMetadata(request, metadata: metadata, options: options)
    }
    return response.loadedCount
  }

  public func checkConsistency(_ path: String, repair: Bool) async throws -> ConsistencyReport {
    await data.completions.settle(path, subtree: true)
    let request = Goosefs_Grpc_CheckConsistencyRequest.with {
      $0.path = path
      $0.repair = repair
    }
    let response = try await connection.call("check consistency of \(path)", timeout: MasterConnection.longCallTimeout) { client, metadata, options in
      try await FS.Client(wrapping: client).checkConsistency(request, metadata: metadata, options: options)
    }
    return ConsistencyReport(inconsistentPaths: response.inconsistentPaths, repairedCount: response.repairedCount)
  }

  public func masterInfo() async throws -> MasterInfo {
    let response = try await connection.call("get the master's info") { client, metadata, options in
      try await Meta.Client(wrapping: client).getMasterInfo(Goosefs_Grpc_GetMasterInfoRequest(), metadata: metadata, options: options)
    }
    return MasterInfo(response)
  }

  public func metrics() async throws -> [MetricValue] {
    let response = try await connection.call("get metrics") { client, metadata, options in
      try await Meta.Client(wrapping: client).getMetrics(Goosefs_Grpc_GetMetricsRequest(), metadata: metadata, options: options)
    }
    return response.metrics.map(MetricValue.init)
  }
}
