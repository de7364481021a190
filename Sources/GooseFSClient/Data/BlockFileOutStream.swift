import Foundation
import GooseFSCore
import GooseFSRPC
import NIOCore
import Synchronization

/// Writes a new file through workers (docs/write-types.md).
/// - Cache types (MUST_CACHE, TRY_CACHE, ASYNC_THROUGH): block by block to the best worker; the
///   client keeps the current block's bytes until the worker acknowledges it, so a block that
///   fails on one worker is sent again to another.
/// - Through types (CACHE_THROUGH, THROUGH): one stream to one worker, which writes the under
///   store (and caches the blocks for CACHE_THROUGH).
///
/// One writer task at a time; a concurrent call fails instead of corrupting the stream.
final class BlockFileOutStream: FileOutStream, @unchecked Sendable {
  let path: String
  let created: FileInfo
  private let writeType: WriteType
  private let access: BlockAccess
  private let busy = Mutex(false)
  private let written = Mutex<Int64>(0)
  // Guarded by `busy`:
  private var block: OpenBlock?
  private var through: (session: BlockWriteSession, connection: BlockDataConnection)?
  private var excluded: Set<Int64> = []
  /// Why the workers in `excluded` failed: the last failure, and the last "no space" answer (the
  /// worker's store names the tier and sizes), which wins when no worker is left.
  private var lastFailure: GooseFSError?
  private var refusal: GooseFSError?
  private var finished = false
  /// Where each finished block went, in file order (for the status of a completion sent later).
  private var finishedBlocks: [(workerID: Int64, address: WorkerNetAddress)] = []

  /// The block being written and its bytes so far (kept for a resend).
  private struct OpenBlock {
    var index: Int64
    var session: BlockWriteSession
    var connection: BlockDataConnection
    var workerID: Int64
    var address: WorkerNetAddress
    var copy: ByteBuffer
  }

  var bytesWritten: Int64 { written.withLock { $0 } }

  init(path: String, created: FileInfo, writeType: WriteType, access: BlockAccess) {
    self.path = path
    self.created = created
    self.writeType = writeType
    self.access = access
  }

  private var blockSize: Int64 { created.blockSizeBytes }

  /// ASYNC_THROUGH with bytes: the completion asks the master to queue the persist.
  private var schedulesPersist: Bool { writeType == .asyncThrough && bytesWritten > 0 }

  func write(_ buffer: ByteBuffer) async throws {
    try enter()
    defer { leave() }
    guard !finished else { throw GooseFSError(.failedPrecondition, "\(path) is already closed.") }
    guard buffer.readableBytes > 0 else { return }
    if writeType.persistsSynchronously {
      try await writeThrough(buffer)
    } else {
      var rest = buffer
      while rest.readableBytes > 0 {
        let offset = bytesWritten
        let index = offset / blockSize
        let room = Int((index + 1) * blockSize - offset)
        let piece = rest.readSlice(length: min(room, rest.readableBytes))!
        try await appendToBlock(piece, index: index)
        written.withLock { $0 += Int64(piece.readableBytes) }
        if bytesWritten == (index + 1) * blockSize { try await finishBlock() }
      }
    }
  }

  func close() async throws -> FileInfo {
    try enter()
    defer { leave() }
    guard !finished else { throw GooseFSError(.failedPrecondition, "\(path) is already closed.") }
    finished = true
    do {
      var fingerprint = ""
      if writeType.persistsSynchronously {
        if through == nil, bytesWritten == 0 { try await openThrough() }
        let response = try await through!.session.finish(as: Goosefs_Block_WriteUfsFileResponse.self)
        access.data.checkin(through!.connection)
        through = nil
        fingerprint = response.ufsFingerprint
      } else {
        try await finishBlock()
      }
      return try await access.fileSystem.completeFile(
        path, length: bytesWritten, ufsFingerprint: fingerprint,
        schedulePersist: schedulesPersist)
    } catch {
      await abandon()
      throw error
    }
  }

  func closeCompletingLater() async throws -> FileInfo {
    guard !writeType.persistsSynchronously else { return try await close() }
    try enter()
    defer { leave() }
    guard !finished else { throw GooseFSError(.failedPrecondition, "\(path) is already closed.") }
    finished = true
    do {
      try await finishBlock()
    } catch {
      await abandon()
      throw error
    }
    await access.data.completions.enqueue(
      path: path, length: bytesWritten, ufsFingerprint: "", schedulePersist: schedulesPersist,
      run: completion)
    return completedStatus()
  }

  func closeCompletingLaterNow() -> FileInfo? {
    // Busy (another call is in the stream): nil, and the awaited close reports the misuse.
    guard !writeType.persistsSynchronously, (try? enter()) != nil else { return nil }
    defer { leave() }
    guard !finished, block == nil,
      access.data.completions.enqueueNow(
        path: path, length: bytesWritten, ufsFingerprint: "",
        schedulePersist: schedulesPersist, run: completion)
    else { return nil }
    finished = true
    return completedStatus()
  }

  /// What the completion queue runs for this file.
  private var completion: @Sendable (CompletionsBehind.Job) async throws -> Void {
    let fileSystem = access.fileSystem
    return { job in
      _ = try await fileSystem.completeFile(
        job.path, length: job.length, ufsFingerprint: job.ufsFingerprint, schedulePersist: job.schedulePersist)
    }
  }

  /// The file as the master will complete it: its blocks where this stream wrote them.
  private func completedStatus() -> FileInfo {
    var info = created
    info.length = bytesWritten
    info.completed = true
    info.lastModificationTimeMs = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    info.blockIDs = finishedBlocks.indices.map { BlockID.make(container: created.blockContainerID, index: Int64($0)) }
    info.fileBlockInfos = finishedBlocks.enumerated().map { index, target in
      let offset = Int64(index) * blockSize
      return FileBlockInfo(
        blockID: info.blockIDs[index], offset: offset, length: min(blockSize, bytesWritten - offset),
        locations: [BlockLocation(workerID: target.workerID, address: target.address, tierAlias: "")])
    }
    if bytesWritten > 0 {
      info.inGooseFSPercentage = 100
      if writeType == .asyncThrough { info.persistenceState = .toBePersisted }
    }
    return info
  }

  func cancel() async {
    guard (try? enter()) != nil else { return }
    defer { leave() }
    guard !finished else { return }
    finished = true
    await abandon()
  }

  // MARK: Cache types

  private func appendToBlock(_ piece: ByteBuffer, index: Int64) async throws {
    if block == nil { try await openBlock(index: index) }
    var kept = piece
    block!.copy.writeBuffer(&kept)
    do {
      try await block!.session.send(piece)
    } catch {
      try await resendBlock(after: error)
    }
  }

  private func finishBlock() async throws {
    guard let current = block else { return }
    do {
      _ = try await current.session.finish()
      access.data.checkin(current.connection)
      finishedBlocks.append((current.workerID, current.address))
      block = nil
    } catch {
      try await resendBlock(after: error)
      return try await finishBlock()
    }
  }

  private func openBlock(index: Int64) async throws {
    let blockID = BlockID.make(container: created.blockContainerID, index: index)
    let placement = try await access.placement(refresh: !excluded.isEmpty)
    for worker in placement.ranked(for: blockID, excluding: excluded) {
      do {
        let connection = try await access.data.pool().checkout(host: worker.address.host, port: worker.address.rpcPort)
        let session = try await connection.writeBlock(
          blockID: blockID,
          request: .with {
            $0.expectedLength = -1
            $0.persisted = false
          })
        block = OpenBlock(
          index: index, session: session, connection: connection, workerID: worker.id, address: worker.address,
          copy: ByteBufferAllocator().buffer(capacity: Int(min(blockSize, 8 << 20))))
        return
      } catch {
        exclude(worker.id, at: worker.address, after: RPCErrorMapping.goosefsError(from: error), index: index)
      }
    }
    throw refusal ?? lastFailure
      ?? GooseFSError(.unavailable, "No live worker can store block \(index) of \(path) (no workers are registered).")
  }

  /// Stops using a worker for this file, keeping why; a "no space" answer is named with the worker
  /// in front of the store's own text.
  private func exclude(_ workerID: Int64, at address: WorkerNetAddress, after error: GooseFSError, index: Int64) {
    excluded.insert(workerID)
    lastFailure = error
    guard error.code == .resourceExhausted else { return }
    refusal = GooseFSError(
      .resourceExhausted, "Worker \(address.hostAndPort) cannot store block \(index) of \(path): \(error.message)")
  }

  /// The worker failed mid-block: send what the block has so far to another worker.
  private func resendBlock(after error: any Error) async throws {
    guard var current = block else { throw error }
    let mapped = RPCErrorMapping.goosefsError(from: error)
    guard BlockFailover.isWorkerFailure(mapped) else { throw mapped }
    await current.session.abort()
    await current.connection.close()
    exclude(current.workerID, at: current.address, after: mapped, index: current.index)
    block = nil
    try await openBlock(index: current.index)
    let copy = current.copy
    block!.copy = copy
    current.copy = ByteBuffer()
    try await block!.session.send(copy)
  }

  // MARK: Through types

  private func openThrough() async throws {
    let firstBlock = BlockID.make(container: created.blockContainerID, index: 0)
    let placement = try await access.placement(refresh: false)
    guard let worker = placement.ranked(for: firstBlock).first else {
      throw GooseFSError(.unavailable, "No live worker can write \(path) to the under store (no workers are registered).")
    }
    let connection = try await access.data.pool().checkout(host: worker.address.host, port: worker.address.rpcPort)
    let session = try await connection.writeUfsFile(
      request: .with {
        $0.mountID = created.mountID
        $0.ufsPath = created.ufsPath
        $0.mode = created.mode
        $0.owner = created.owner
        $0.group = created.group
        $0.cache = writeType == .cacheThrough
        $0.blockSize = blockSize
        $0.firstBlockID = firstBlock
      })
    through = (session, connection)
  }

  private func writeThrough(_ buffer: ByteBuffer) async throws {
    if through == nil { try await openThrough() }
    try await through!.session.send(buffer)
    written.withLock { $0 += Int64(buffer.readableBytes) }
  }

  private func abandon() async {
    if let block {
      await block.session.abort()
      await block.connection.close()
      self.block = nil
    }
    if let through {
      await through.session.abort()
      await through.connection.close()
      self.through = nil
    }
    do {
      try await access.fileSystem.remove(path, recursive: false, goosefsOnly: !writeType.persistsSynchronously)
    } catch {
      // The caller is already failing with the write's own error. An incomplete file that stays
      // behind holds no space for long: removing it later frees its blocks (docs/architecture.md,
      // "Orphaned blocks"), and `fs ls` shows it as incomplete until then.
    }
  }

  private func enter() throws {
    let free = busy.withLock { busy -> Bool in
      guard !busy else { return false }
      busy = true
      return true
    }
    guard free else { throw GooseFSError(.failedPrecondition, "Concurrent writes to \(path) on one stream.") }
  }

  private func leave() { busy.withLock { $0 = false } }
}
