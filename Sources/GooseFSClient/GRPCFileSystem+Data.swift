import GooseFSCore
import GooseFSRPC
import NIOCore

// The data side of the client: file streams and caching, over workers.
extension GRPCFileSystem: DataFileSystem {
  private typealias FS = Goosefs_Grpc_FileSystemMasterClientService

  var access: BlockAccess { BlockAccess(fileSystem: self) }

  public func openFile(_ path: String, options: OpenFileOptions) async throws -> any FileInStream {
    await data.completions.settle(path, subtree: false)
    let info = try await getStatus(path, syncIntervalMs: nil)
    guard info.kind == .file else {
      throw GooseFSError(.invalidArgument, "Cannot read \(path): it is a directory.")
    }
    guard info.completed else {
      throw GooseFSError(.failedPrecondition, "Cannot read \(path): the file is still being written.")
    }
    return BlockFileInStream(info: info, access: access, readType: options.readType)
  }

  public func createFileStream(_ path: String, options: CreateFileOptions, writeType: WriteType?) async throws
    -> any FileOutStream
  {
    let type = try writeType ?? data.settings().writeType
    var options = options
    // Through types create the file (and its parents) in the under store; the worker writes it.
    options.persist = type.persistsSynchronously
    if options.blockSizeBytes == 0 { options.blockSizeBytes = try data.settings().blockSizeBytes }
    let created = try await createFile(path, options: options, persistOverride: options.persist)
    return BlockFileOutStream(path: path, created: created, writeType: type, access: access)
  }

  /// Caches a file's blocks on workers: `replication` distinct workers per block, chosen by
  /// hash (or the local worker only); blocks already there are skipped.
  public func cache(
    _ info: FileInfo, _ request: CacheRequest, onBlock: @escaping @Sendable (Int64) async -> Void
  ) async throws {
    guard info.kind == .file, info.length > 0 else { return }
    var info = info
    if info.fileBlockInfos.isEmpty { info = try await getStatus(info.path, syncIntervalMs: nil) }
    guard info.persistenceState == .persisted, !info.ufsPath.isEmpty else {
      if info.fileBlockInfos.allSatisfy({ !$0.locations.isEmpty }) { return }
      throw GooseFSError(.failedPrecondition, "Cannot load \(info.path): it is not persisted, so no worker can fetch it.")
    }
    let placement = try await access.placement(refresh: true)
    let pool = try data.pool()
    for block in info.fileBlockInfos {
      let targets: [WorkerInfo]
      if request.localOnly {
        guard let local = placement.localWorker else {
          throw GooseFSError(.unavailable, "No worker runs on this host (\(try data.settings().hostname)); cannot load locally.")
        }
        targets = [local]
      } else {
        targets = placement.replicas(for: block.blockID, count: max(1, request.replication))
      }
      guard !targets.isEmpty else {
        throw GooseFSError(.unavailable, "No live worker to load \(info.path) into (no workers are registered).")
      }
      let holders = Set(block.locations.map(\.workerID))
      for worker in targets where !holders.contains(worker.id) {
        let cacheRequest = Goosefs_Block_CacheBlockRequest.with {
          $0.ufs = .with {
            $0.mountID = info.mountID
            $0.ufsPath = info.ufsPath
            $0.offsetInFile = block.offset
            $0.blockLength = block.length
            $0.ufsFingerprint = info.ufsFingerprint
          }
        }
        let connection = try await pool.checkout(host: worker.address.host, port: worker.address.rpcPort)
        do {
          _ = try await connection.call(op: .cacheBlock, blockID: block.blockID, request: cacheRequest, timeout: .hours(1))
          pool.checkin(connection)
        } catch {
          await connection.close()
          throw error
        }
      }
      await onBlock(block.length)
    }
  }

  /// `schedulePersist` (ASYNC_THROUGH) has the master queue the persist in the same call.
  func completeFile(_ path: String, length: Int64, ufsFingerprint: String, schedulePersist: Bool) async throws -> FileInfo {
    let request = Goosefs_Grpc_CompleteFileRequest.with {
      $0.path = path
      $0.length = length
      $0.ufsFingerprint = ufsFingerprint
      $0.schedulePersist = schedulePersist
    }
    let response = try await connection.call(
      "complete file \(path)", framed: .completeFile, request, as: Goosefs_Grpc_CompleteFileResponse.self
    ) { client, metadata, options in
      try await FS.Client(wrapping: client).completeFile(request, metadata: metadata, options: options)
    }
    return FileInfo(response.info)
  }

  public func waitForCompletions(under path: String) async throws {
    if let failure = await data.completions.failure(under: path) { throw failure }
  }
}
