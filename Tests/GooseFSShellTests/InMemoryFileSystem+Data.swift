import Foundation
import GooseFSClient
import GooseFSCore
import NIOCore

/// A file's bytes and where each block is cached.
struct StoredData {
  struct Block {
    var id: Int64
    var offset: Int64
    var length: Int64
    /// Workers holding a copy, in the order they got it.
    var cachedOn: [Int64] = []
  }

  var bytes: [UInt8]
  var blocks: [Block]
}

/// The data side of the test double, with the semantics the shell relies on:
/// - written files are split into blocks; the write type decides caching and persistence;
/// - `free` never drops the only copy (not persisted) and keeps pinned files unless forced;
/// - `cache` puts each block on `replication` distinct live workers (or the local one);
/// - workers' used bytes follow what they cache.
extension InMemoryFileSystem {
  // MARK: seeding

  /// A completed file with contents, cached on `cachedOn` workers (every block).
  @discardableResult
  func addFile(
    _ path: String, contents: [UInt8], persisted: Bool = true, pinned: Bool = false, cachedOn: [Int64] = []
  ) -> FileInfo {
    var missingParents: [String] = []
    var parent = NamespacePath.parent(path)
    while let directory = parent, state.withLock({ $0.entries[directory] == nil }) {
      missingParents.insert(directory, at: 0)
      parent = NamespacePath.parent(directory)
    }
    for directory in missingParents { addDirectory(directory) }
    var info = addFile(path, length: Int64(contents.count), pinned: pinned)
    state.withLock { state in
      info.persistenceState = persisted ? .persisted : .notPersisted
      info.blockSizeBytes = state.blockSize
      state.entries[path] = info
      state.data[path] = Self.split(contents, fileID: info.fileID, blockSize: state.blockSize, cachedOn: cachedOn)
      for block in state.data[path]!.blocks {
        for worker in cachedOn { Self.account(block.length, on: worker, &state) }
      }
    }
    return info
  }

  /// A live worker with one MEM tier.
  func addWorker(
    id: Int64, host: String, capacity: Int64 = 1 << 30, lastContactSeconds: Int64 = 0, state workerState: WorkerInfo.State = .live,
    tiers: [TierCapacity]? = nil
  ) {
    let worker = WorkerInfo(
      id: id, address: WorkerNetAddress(host: host, rpcPort: 29999), lastContactSeconds: lastContactSeconds,
      state: workerState, tiers: tiers ?? [TierCapacity(alias: "MEM", capacityBytes: capacity, usedBytes: 0)])
    state.withLock { $0.workers.append(worker) }
  }

  func contents(of path: String) -> [UInt8]? { state.withLock { $0.data[path]?.bytes } }

  /// Worker ids holding each block of `path`.
  func placement(of path: String) -> [[Int64]] { state.withLock { $0.data[path]?.blocks.map(\.cachedOn) ?? [] } }

  // MARK: DataFileSystem

  func openFile(_ path: String, options: OpenFileOptions) async throws -> any FileInStream {
    try state.withLock { state in
      state.calls.append("openFile \(path) readType=\(options.readType?.rawValue ?? "default")")
      guard let entry = state.entries[path] else { throw GooseFSError.pathDoesNotExist(path) }
      guard !entry.isDirectory else { throw GooseFSError(.invalidArgument, "Path \"\(path)\" must be a file.") }
      guard entry.completed else { throw GooseFSError(.failedPrecondition, "File \(path) is not completed") }
      // Seeded without contents: zeros of the recorded length.
      let bytes = state.data[path]?.bytes ?? [UInt8](repeating: 0, count: Int(entry.length))
      return InMemoryInStream(
        info: Self.withData(entry, state, blockLocations: true), bytes: bytes, chunkLimit: state.readChunkLimit,
        failingAfter: state.failingReads[path])
    }
  }

  func createFileStream(_ path: String, options: CreateFileOptions, writeType: WriteType?) async throws -> any FileOutStream {
    try state.withLock { state in
      state.calls.append("createFileStream \(path) writeType=\(writeType?.rawValue ?? "default")")
      if let existing = state.entries[path], !(options.overwrite && !existing.isDirectory) {
        throw GooseFSError.pathAlreadyExists(path)
      }
      guard let parent = NamespacePath.parent(path) else { throw GooseFSError.pathAlreadyExists(path) }
      if state.entries[parent] == nil && !options.recursive { throw GooseFSError.pathDoesNotExist(parent) }
      if let parentEntry = state.entries[parent], !parentEntry.isDirectory {
        throw GooseFSError(.invalidArgument, "Path \"\(parent)\" is not a directory.")
      }
    }
    if let parent = NamespacePath.parent(path) {
      _ = try await createDirectory(parent, recursive: true, allowExists: true, mode: nil)
    }
    let info = state.withLock { state in
      var info = FileInfo(
        fileID: state.nextID, name: NamespacePath.name(path), path: path, kind: .file,
        blockSizeBytes: options.blockSizeBytes > 0 ? options.blockSizeBytes : state.blockSize, completed: false,
        owner: "root", group: "root", mode: 0o644)
      state.nextID += 1
      info.replicationMin = options.replicationMin
      info.replicationMax = options.replicationMax
      state.entries[path] = info
      return info
    }
    let failing = state.withLock { $0.failingWritePaths.contains(path) }
    return InMemoryOutStream(path: path, failing: failing) { [self] bytes in
      try commit(info, bytes: bytes, writeType: writeType ?? .asyncThrough)
    } abandon: { [self] in
      state.withLock { state in
        state.calls.append("cancel \(path)")
        state.entries[path] = nil
      }
    }
  }

  func free(_ path: String, recursive: Bool, forced: Bool) async throws -> FreeResult {
    try state.withLock { state in
      state.calls.append("free \(path) recursive=\(recursive) forced=\(forced)")
      guard let target = state.entries[path] else { throw GooseFSError.pathDoesNotExist(path) }
      if target.isDirectory && !recursive && !Self.children(of: path, in: state.entries).isEmpty {
        throw GooseFSError(.failedPrecondition, "Cannot free directory \(path) which is not empty.")
      }
      var result = FreeResult(freedBlockCount: 0)
      let files = state.entries.values.filter { !$0.isDirectory && NamespacePath.isSelfOrDescendant($0.path, of: path) }
      for file in files.sorted(by: { $0.path < $1.path }) where Self.isCached(file, state) {
        if !file.isPersisted {
          result.notPersistedPaths.append(file.path)
        } else if Self.isPinned(file.path, state) && !forced {
          result.pinnedPaths.append(file.path)
        } else {
          result.freedBlockCount += Self.uncache(file.path, &state)
        }
      }
      return result
    }
  }

  func persist(_ path: String) async throws {
    try state.withLock { state in
      state.calls.append("persist \(path)")
      guard var entry = state.entries[path] else { throw GooseFSError.pathDoesNotExist(path) }
      guard !entry.isDirectory else { throw GooseFSError(.invalidArgument, "Path \"\(path)\" must be a file.") }
      if state.failingPersistPaths.contains(path) {
        throw GooseFSError(.ioError, "Failed to persist \(path): under store unavailable")
      }
      entry.persistenceState = .persisted
      state.entries[path] = entry
    }
  }

  func cache(_ info: FileInfo, _ request: CacheRequest, onBlock: @escaping @Sendable (Int64) async -> Void) async throws {
    let cachedLengths: [Int64] = try state.withLock { state in
      let path = info.path
      state.calls.append("cache \(path) replication=\(request.replication) local=\(request.localOnly)")
      guard let entry = state.entries[path] else { throw GooseFSError.pathDoesNotExist(path) }
      guard entry.completed else { throw GooseFSError(.failedPrecondition, "File \(path) is not completed") }
      if state.failingCachePaths.contains(path) {
        throw GooseFSError(.ioError, "Failed to cache \(path): worker connection reset")
      }
      let live = state.workers.filter { $0.state == .live }
      guard !live.isEmpty else { throw GooseFSError(.unavailable, "No worker is available to cache \(path)") }
      guard var stored = state.data[path] else {
        // Seeded without contents: only the percentage can change.
        var updated = entry
        updated.inGooseFSPercentage = 100
        state.entries[path] = updated
        return [entry.length]
      }
      var targets: [Int64] = []
      if request.localOnly {
        guard let local = live.first(where: { $0.address.host == state.localHost }) else {
          throw GooseFSError(.unavailable, "When local option is specified, there must be a local worker available")
        }
        targets = [local.id]
      } else {
        guard live.count >= request.replication else {
          throw GooseFSError(
            .resourceExhausted, "Only \(live.count) workers are live, \(request.replication) replicas were asked for \(path)")
        }
        targets = live.sorted { ($0.usedBytes, $0.id) < ($1.usedBytes, $1.id) }.map(\.id)
      }
      var lengths: [Int64] = []
      for index in stored.blocks.indices {
        var block = stored.blocks[index]
        let wanted = request.localOnly ? 1 : request.replication
        for worker in targets where !block.cachedOn.contains(worker) {
          if !request.localOnly && block.cachedOn.count >= wanted { break }
          block.cachedOn.append(worker)
          Self.account(block.length, on: worker, &state)
        }
        stored.blocks[index] = block
        lengths.append(block.length)
      }
      state.data[path] = stored
      return lengths
    }
    for length in cachedLengths { await onBlock(length) }
  }

  func workers() async throws -> [WorkerInfo] {
    state.withLock { state in
      state.calls.append("workers")
      return state.workers
    }
  }

  // MARK: internals

  /// Completes a written file: blocks, caching and persistence follow the write type.
  private func commit(_ info: FileInfo, bytes: [UInt8], writeType: WriteType) throws -> FileInfo {
    try state.withLock { state in
      state.calls.append("completeFile \(info.path) \(bytes.count)")
      let live = state.workers.filter { $0.state == .live }.sorted { $0.id < $1.id }
      if writeType.caches && live.isEmpty && !bytes.isEmpty {
        throw GooseFSError(.unavailable, "No worker is available to write \(info.path)")
      }
      let writer = writeType.caches ? live.first.map { [$0.id] } ?? [] : []
      var stored = Self.split(bytes, fileID: info.fileID, blockSize: info.blockSizeBytes, cachedOn: writer)
      if bytes.isEmpty { stored.blocks = [] }
      for block in stored.blocks { for worker in writer { Self.account(block.length, on: worker, &state) } }
      var completed = info
      completed.completed = true
      completed.length = Int64(bytes.count)
      completed.persistenceState =
        switch writeType {
        case .mustCache, .tryCache: .notPersisted
        case .cacheThrough, .through: .persisted
        case .asyncThrough: .toBePersisted
        }
      state.entries[info.path] = completed
      state.data[info.path] = stored
      return Self.withData(completed, state, blockLocations: true)
    }
  }

  static func split(_ bytes: [UInt8], fileID: Int64, blockSize: Int64, cachedOn: [Int64]) -> StoredData {
    var blocks: [StoredData.Block] = []
    var offset: Int64 = 0
    while offset < Int64(bytes.count) {
      let length = min(blockSize, Int64(bytes.count) - offset)
      blocks.append(.init(id: BlockID.make(container: fileID, index: Int64(blocks.count)), offset: offset, length: length, cachedOn: cachedOn))
      offset += length
    }
    return StoredData(bytes: bytes, blocks: blocks)
  }

  /// What the master would report for the file: length, block ids, cached percentages and,
  /// from getStatus only, block locations.
  static func withData(_ info: FileInfo, _ state: State, blockLocations: Bool) -> FileInfo {
    guard let stored = state.data[info.path], !info.isDirectory else { return info }
    var info = info
    let length = Int64(stored.bytes.count)
    info.length = length
    info.blockIDs = stored.blocks.map(\.id)
    let cached = stored.blocks.filter { !$0.cachedOn.isEmpty }.reduce(Int64(0)) { $0 + $1.length }
    let inMemory = stored.blocks.filter { block in
      block.cachedOn.contains { worker in tierAlias(of: worker, state) == "MEM" }
    }.reduce(Int64(0)) { $0 + $1.length }
    // Alluxio reports an empty file as fully in GooseFS.
    info.inGooseFSPercentage = length == 0 ? 100 : Int32(cached * 100 / length)
    info.inMemoryPercentage = length == 0 ? 100 : Int32(inMemory * 100 / length)
    info.fileBlockInfos =
      blockLocations
      ? stored.blocks.map { block in
        FileBlockInfo(
          blockID: block.id, offset: block.offset, length: block.length,
          locations: block.cachedOn.compactMap { id in
            state.workers.first { $0.id == id }.map {
              BlockLocation(workerID: id, address: $0.address, tierAlias: tierAlias(of: id, state))
            }
          })
      } : []
    return info
  }

  private static func tierAlias(of worker: Int64, _ state: State) -> String {
    state.workers.first { $0.id == worker }?.tiers.first?.alias ?? "MEM"
  }

  static func isCached(_ file: FileInfo, _ state: State) -> Bool {
    if let stored = state.data[file.path] { return stored.blocks.contains { !$0.cachedOn.isEmpty } }
    return file.inGooseFSPercentage > 0
  }

  /// Pinning a directory pins what is below it.
  static func isPinned(_ path: String, _ state: State) -> Bool {
    var current: String? = path
    while let candidate = current {
      if state.entries[candidate]?.pinned == true { return true }
      current = NamespacePath.parent(candidate)
    }
    return false
  }

  /// Drops every cached copy of the file's blocks; returns how many blocks were freed.
  static func uncache(_ path: String, _ state: inout State) -> Int64 {
    guard var stored = state.data[path] else {
      state.entries[path]?.inGooseFSPercentage = 0
      state.entries[path]?.inMemoryPercentage = 0
      return Int64(state.entries[path]?.blockIDs.count ?? 0)
    }
    var freed: Int64 = 0
    for index in stored.blocks.indices where !stored.blocks[index].cachedOn.isEmpty {
      for worker in stored.blocks[index].cachedOn { account(-stored.blocks[index].length, on: worker, &state) }
      stored.blocks[index].cachedOn = []
      freed += 1
    }
    state.data[path] = stored
    return freed
  }

  static func dropData(of path: String, _ state: inout State) {
    _ = uncache(path, &state)
    state.data[path] = nil
  }

  /// Keeps a worker's used bytes (first tier) in step with what it caches.
  static func account(_ bytes: Int64, on worker: Int64, _ state: inout State) {
    guard let index = state.workers.firstIndex(where: { $0.id == worker }), !state.workers[index].tiers.isEmpty else { return }
    state.workers[index].tiers[0].usedBytes += bytes
    state.workers[index].blockCount += bytes > 0 ? 1 : -1
  }
}
