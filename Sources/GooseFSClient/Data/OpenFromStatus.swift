import GooseFSCore
import GooseFSRPC
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

// Opening a file from a status the caller already holds: the metadata cache of a FUSE mount
// answers stat and open, so the read need not ask the master again.
extension GRPCFileSystem {
  /// Files of at most this many blocks whose status carries no block locations (listings leave
  /// them out) are looked for on the local worker before the master is asked: one exchange with
  /// the worker per block at most, none when this client holds the leases already.
  static let maxBlocksLocatedLocally = 4

  public func openFile(_ info: FileInfo, options: OpenFileOptions) async throws -> any FileInStream {
    // The master has the last word on a file this status calls a directory or incomplete.
    guard info.kind == .file, info.completed else { return try await openFile(info.path, options: options) }
    if info.length == 0 { return BlockFileInStream(info: info, access: access, readType: options.readType) }
    // No location known (a listing's status, or one taken before the first read cached the
    // file): the local worker is asked first, so a file cached here is read short-circuit.
    if !info.fileBlockInfos.contains(where: { !$0.locations.isEmpty }), let located = try await locatedLocally(info) {
      return BlockFileInStream(info: located, access: access, readType: options.readType)
    }
    if !info.fileBlockInfos.isEmpty { return BlockFileInStream(info: info, access: access, readType: options.readType) }
    return try await openFile(info.path, options: options)
  }

  /// Files up to this size are read from block files this client opens itself; larger ones
  /// through the leased mapping (one lease per block, amortised over the reads of a big file,
  /// and replies copied from the page cache without a bounce buffer).
  static let maxBytesOpenedLocally: Int64 = 16 << 20

  public func openLocallyNow(_ info: FileInfo) -> LocalFileInStream? {
    // Unreadable settings: nil sends the caller to `openFile`, which reports them.
    guard info.kind == .file, info.completed, info.length >= 0, info.length <= Self.maxBytesOpenedLocally,
      (try? data.settings().shortCircuitEnabled) == true
    else { return nil }
    if info.length == 0 { return LocalFileInStream(info: info, descriptors: [], table: nil, access: access) }
    guard info.blockSizeBytes > 0,
      Int64(info.blockIDs.count) == (info.length + info.blockSizeBytes - 1) / info.blockSizeBytes
    else { return nil }
    for table in data.leaseTablesNow() {
      var descriptors: [Int32] = []
      for (index, blockID) in info.blockIDs.enumerated() {
        let length = min(info.blockSizeBytes, info.length - Int64(index) * info.blockSizeBytes)
        guard let fd = table.folders.open(blockID, length: length) else { break }
        descriptors.append(fd)
      }
      if descriptors.count == info.blockIDs.count {
        return LocalFileInStream(info: info, descriptors: descriptors, table: table, access: access)
      }
      for fd in descriptors { Glibc.close(fd) }
    }
    return nil
  }

  public func readRemotelyNow(_ info: FileInfo, at offset: Int64, count: Int) -> ByteBuffer? {
    // Unreadable settings: nil sends the caller to `openFile`, which reports them.
    guard info.kind == .file, info.completed, offset >= 0, offset < info.length, count > 0,
      info.length <= Self.maxBytesOpenedLocally, info.blockSizeBytes > 0,
      let settings = try? data.settings(), let reads = try? data.blockingReads()
    else { return nil }
    let index = Int(offset / info.blockSizeBytes)
    guard index < info.fileBlockInfos.count else { return nil }
    let block = info.fileBlockInfos[index]
    guard block.offset == Int64(index) * info.blockSizeBytes else { return nil }
    // A block on a worker of this host is read from its file (and the first such read teaches
    // the client where that worker keeps its files): not here. The worker list, when this client
    // has fetched one, orders the holders and leaves out workers it does not list as live; without
    // it (the master was never asked, or is away) the status's own locations serve.
    let holders: [WorkerNetAddress]
    if let placement = data.placementNow() {
      holders = placement.readCandidates(for: block)
        .filter { $0.cached && !placement.localWorkerIDs.contains($0.workerID) }.map(\.address)
    } else {
      holders = block.locations.map(\.address).filter { !data.isLocalHost($0.host, clientHostname: settings.hostname) }
    }
    guard let target = holders.first else { return nil }
    let offsetInBlock = offset - block.offset
    let length = min(Int64(count), block.length - offsetInBlock)
    guard length > 0 else { return nil }
    let request = Goosefs_Block_ReadBlockRequest.reading(block, of: info, readType: settings.readType)
    return reads.read(
      BlockingBlockReads.Worker(host: target.host, port: target.rpcPort), blockID: block.blockID,
      offset: offsetInBlock, length: length, request: request)
  }

  /// `info` with its blocks, if a worker of this host holds every one of them (leased here: the
  /// leases stay with the client, so the stream's reads need no further exchange), else nil.
  private func locatedLocally(_ info: FileInfo) async throws -> FileInfo? {
    guard info.blockSizeBytes > 0, !info.blockIDs.isEmpty, info.blockIDs.count <= Self.maxBlocksLocatedLocally,
      Int64(info.blockIDs.count) == (info.length + info.blockSizeBytes - 1) / info.blockSizeBytes,
      try data.settings().shortCircuitEnabled,
      let local = try await access.placement(refresh: false).localWorker
    else { return nil }
    let table = try data.leases(for: local.id, address: local.address)
    let pool = try data.pool()
    var blocks: [FileBlockInfo] = []
    var leases: [LocalBlockLease] = []
    var complete = true
    for (index, blockID) in info.blockIDs.enumerated() {
      let offset = Int64(index) * info.blockSizeBytes
      let length = min(info.blockSizeBytes, info.length - offset)
      let lease: LocalBlockLease
      do {
        lease = try await table.acquire(blockID, pool: pool)
      } catch {
        // Not on this host (or not readable from here): the master knows where it is.
        complete = false
        break
      }
      leases.append(lease)
      guard lease.length == length else {
        complete = false
        break
      }
      let location = BlockLocation(workerID: local.id, address: local.address, tierAlias: "")
      blocks.append(FileBlockInfo(blockID: blockID, offset: offset, length: length, locations: [location]))
    }
    // The stream takes its own hold on each block (found in the table without an exchange).
    for lease in leases { await table.release(lease) }
    guard complete else { return nil }
    var located = info
    located.fileBlockInfos = blocks
    return located
  }
}
