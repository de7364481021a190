import GooseFSCore
import GooseFSRPC
import NIOCore

/// How a client reaches block bytes: which worker, short-circuit or network, and the request that
/// lets any worker read the under store for a persisted file.
struct BlockAccess: Sendable {
  let fileSystem: GRPCFileSystem
  var data: ClientDataContext { fileSystem.data }

  func placement(refresh: Bool) async throws -> WorkerPlacement {
    try await data.placement(forceRefresh: refresh) { try await fileSystem.workers() }
  }

  /// A reader for `info` from `position` to the end of its block (or `limit` bytes), on the best
  /// worker not in `excluding`.
  func openReader(
    for info: FileInfo, at position: Int64, excluding: Set<Int64>, refresh: Bool, limit: Int64 = .max,
    readType: ReadType? = nil, lastFailure: GooseFSError? = nil
  ) async throws -> any BlockReader {
    let settings = try data.settings()
    guard info.blockSizeBytes > 0, !info.fileBlockInfos.isEmpty else {
      throw GooseFSError(.internalError, "No block information for \(info.path); getStatus must be used to open files.")
    }
    let index = Int(position / info.blockSizeBytes)
    guard index < info.fileBlockInfos.count else {
      throw GooseFSError(.invalidArgument, "Position \(position) is past the end of \(info.path) (\(info.length) bytes).")
    }
    let block = info.fileBlockInfos[index]
    let offsetInBlock = position - block.offset
    let length = min(block.length - offsetInBlock, limit)
    let placement = try await placement(refresh: refresh)
    let persisted = info.persistenceState == .persisted && !info.ufsPath.isEmpty
    let candidates = placement.readCandidates(for: block, excluding: excluding)
      .filter { persisted || $0.cached }
    guard let target = candidates.first else {
      if !persisted {
        throw GooseFSError(
          .unavailable,
          "File \(info.path) is lost: block \(block.blockID) is not cached on any live worker and the file is not persisted.")
      }
      throw GooseFSError(
        .unavailable,
        "No live worker can read block \(block.blockID) of \(info.path)"
          + (excluding.isEmpty
            ? " (no workers are registered)."
            : " (workers \(excluding.sorted()) failed; last error: \(lastFailure?.message ?? "unknown"))."))
    }
    let pool = try data.pool()
    do {
      if settings.shortCircuitEnabled, target.cached, placement.localWorkerIDs.contains(target.workerID) {
        do {
          return try await LocalBlockReader.open(
            table: try data.leases(for: target.workerID, address: target.address), blockID: block.blockID,
            at: offsetInBlock, pool: pool
          ) { [data] bytes in data.addLocalBytes(bytes) }
        } catch {
          // Not readable from here (evicted meanwhile, or the tier folder is not mounted in this
          // container): the same worker serves it over the network.
        }
      }
      let connection = try await pool.checkout(host: target.address.host, port: target.address.rpcPort)
      let request = Goosefs_Block_ReadBlockRequest.reading(block, of: info, readType: readType ?? settings.readType)
      do {
        let stream = try await connection.read(blockID: block.blockID, offset: offsetInBlock, length: length, request: request)
        return RemoteBlockReader(workerID: target.workerID, connection: connection, stream: stream, pool: pool)
      } catch {
        await connection.close()
        throw error
      }
    } catch {
      throw WorkerFailure(workerID: target.workerID, error: RPCErrorMapping.goosefsError(from: error))
    }
  }

  /// The block's file on a worker of this host, held for us, or nil when short-circuit does not
  /// apply (disabled, not cached on a local worker as of `info`, or not openable from here).
  func openLocal(for info: FileInfo, block: FileBlockInfo) async throws -> LocalBlockReader? {
    guard try data.settings().shortCircuitEnabled else { return nil }
    let placement = try await placement(refresh: false)
    guard
      let target = placement.readCandidates(for: block).first(where: {
        $0.cached && placement.localWorkerIDs.contains($0.workerID)
      })
    else { return nil }
    do {
      return try await LocalBlockReader.open(
        table: try data.leases(for: target.workerID, address: target.address), blockID: block.blockID, at: 0,
        pool: try data.pool()
      ) { [data] bytes in data.addLocalBytes(bytes) }
    } catch {
      return nil
    }
  }

  func reportLocalBytes() async {
    let interval: Duration
    do {
      interval = try data.settings().metricsInterval
    } catch {
      interval = .zero  // unreadable settings failed the read long before; report at once
    }
    let bytes = data.takeLocalBytes(interval: interval)
    guard bytes > 0 else { return }
    do {
      try await fileSystem.reportClientMetrics(["Cluster.BytesReadLocal": Double(bytes)])
    } catch {
      data.restoreLocalBytes(bytes)
    }
  }
}

/// An error of one worker, carrying its id so the reader can try another.
struct WorkerFailure: Error {
  var workerID: Int64
  var error: GooseFSError

  /// The worker to blame (if any) and the error to report, for any error of a read.
  static func classify(_ error: any Error, reader: (any BlockReader)?) -> (worker: Int64?, error: GooseFSError) {
    if let failure = error as? WorkerFailure { return (failure.workerID, failure.error) }
    return (reader?.workerID, RPCErrorMapping.goosefsError(from: error))
  }
}

extension Goosefs_Block_ReadBlockRequest {
  /// A READ of `block` of `info`; a persisted file's request says where the under store has it,
  /// so a worker that does not cache the block reads it from there.
  static func reading(_ block: FileBlockInfo, of info: FileInfo, readType: ReadType) -> Self {
    var request = Self()
    request.readType = readType.proto
    if info.persistenceState == .persisted, !info.ufsPath.isEmpty {
      request.ufs = .with {
        $0.mountID = info.mountID
        $0.ufsPath = info.ufsPath
        $0.offsetInFile = block.offset
        $0.blockLength = block.length
        $0.ufsFingerprint = info.ufsFingerprint
      }
    }
    return request
  }
}

extension ReadType {
  var proto: Goosefs_Block_ReadType {
    switch self {
    case .noCache: .noCache
    case .cache: .cache
    case .cachePromote: .cachePromote
    }
  }
}
