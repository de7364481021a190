import GooseFSCore
import GooseFSRPC
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A short-circuit lease on one block of a worker on this host: the open block file (and its
/// mapping, made on first need), shared by every stream of this client that reads the block.
/// The worker keeps the block from eviction, moves and deletion while the lease is held on its
/// side (OPEN_LOCAL … CLOSE_LOCAL on the table's connection). Block files never change after
/// they are committed, so the descriptor reads the block's bytes even if the worker lost the
/// lease (it restarted): at worst the worker deletes the file and the space comes back when the
/// descriptor is closed.
final class LocalBlockLease: @unchecked Sendable {
  let blockID: Int64
  let fd: Int32
  let length: Int64
  /// The table's connection generation the lease was taken on: a lease of an older one has no
  /// worker side any more (that connection ended) and needs no CLOSE_LOCAL.
  let generation: Int
  private let mapping = Mutex<UnsafeRawBufferPointer?>(nil)
  private let disposed = Atomic<Bool>(false)

  init(blockID: Int64, fd: Int32, length: Int64, generation: Int) {
    self.blockID = blockID
    self.fd = fd
    self.length = length
    self.generation = generation
  }

  /// The whole block file mapped read-only (replies are copied straight from the page cache),
  /// valid until the lease is disposed, which happens only once no stream uses it.
  func mapped() throws -> UnsafeRawBufferPointer {
    try mapping.withLock { mapping in
      if let mapping { return mapping }
      guard length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
      let address = mmap(nil, Int(length), PROT_READ, MAP_SHARED, fd, 0)
      guard let address, address != MAP_FAILED else {
        throw GooseFSError(.ioError, "Cannot map block \(blockID): \(String(cString: strerror(errno)))")
      }
      let bytes = UnsafeRawBufferPointer(start: address, count: Int(length))
      mapping = bytes
      return bytes
    }
  }

  /// Unmaps and closes the file. Called once no stream holds the lease.
  func dispose() {
    guard !disposed.exchange(true, ordering: .acquiringAndReleasing) else { return }
    mapping.withLock { mapping in
      if let mapping, let base = mapping.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), mapping.count) }
      mapping = nil
    }
    Glibc.close(fd)
  }
}

/// Limits of the leases a client keeps idle for later opens (`goosefs.user.short.circuit.*`).
struct LocalLeaseLimits: Sendable {
  /// `.leases.max`: idle leases kept per worker.
  var maxIdle: Int
  /// `.leases.max.bytes`: bytes of blocks those idle leases hold per worker.
  var maxIdleBytes: Int64
  /// `.lease.idle.time`: an idle lease older than this is given back.
  var idleTime: Duration
}

/// The short-circuit leases this client holds on one worker of this host, all on one block
/// connection (the worker ties leases to the connection and ends them when it closes).
///
/// Opening a block already leased costs nothing: no exchange with the worker. A lease no stream
/// uses stays idle, so reopening the same small file is free; idle leases are given back (in
/// batches, after the stream that freed them closed) beyond `maxIdle` / `maxIdleBytes`, and by
/// the context's sweep once older than `idleTime`, so a client never pins more than that of a
/// worker's space while it is not reading.
final class LocalLeaseTable: Sendable {
  let workerID: Int64
  let address: WorkerNetAddress
  private let limits: LocalLeaseLimits

  private struct Entry {
    var lease: LocalBlockLease
    var users: Int
    /// When the last user let go; a key into `idleOrder`.
    var idleSince: ContinuousClock.Instant?
  }

  private struct State {
    var entries: [Int64: Entry] = [:]
    /// Idle leases, oldest first; an item whose entry is no longer idle since that instant is stale.
    var idleOrder: [(blockID: Int64, since: ContinuousClock.Instant)] = []
    var idleOrderStart = 0
    var idleCount = 0
    var idleBytes: Int64 = 0
    /// Leases disposed here whose worker side still waits for CLOSE_LOCAL.
    var pendingClose: [Int64] = []
    var generation = 0
  }

  private let state = Mutex(State())
  /// Where this worker's block files are, for opening them without OPEN_LOCAL.
  let folders = LocalBlockFolders()
  /// Serialises the connection: the block protocol answers one request at a time.
  private let channel = AsyncLock()
  /// Used only while holding `channel`.
  private let connection = Mutex<BlockDataConnection?>(nil)

  init(workerID: Int64, address: WorkerNetAddress, limits: LocalLeaseLimits) {
    self.workerID = workerID
    self.address = address
    self.limits = limits
  }

  /// The lease of `blockID`, taken from the worker if this client does not hold it yet.
  /// Throws when the worker does not hold the block or its file cannot be opened from here.
  func acquire(_ blockID: Int64, pool: BlockConnectionPool) async throws -> LocalBlockLease {
    if let held = reuse(blockID) { return held }
    return try await channel.withLock {
      // Another stream may have taken it while this one waited for the connection.
      if let held = reuse(blockID) { return held }
      let (connection, generation) = try await leaseConnection(pool)
      let response: Goosefs_Block_OpenLocalBlockResponse
      do {
        response = try await connection.call(
          op: .openLocal, blockID: blockID, request: Goosefs_Block_OpenLocalBlockRequest(),
          as: Goosefs_Block_OpenLocalBlockResponse.self)
      } catch {
        await dropConnectionIfBroken(connection)
        throw error
      }
      let fd: Int32
      do {
        let opened = try Self.openFile(response.path, blockID: blockID, socketPath: address.domainSocketPath)
        fd = opened.fd
        if opened.byName { folders.learn(path: response.path, blockID: blockID) }
      } catch {
        do {
          _ = try await connection.call(op: .closeLocal, blockID: blockID)
        } catch {
          // A connection that failed ends every lease it held on the worker's side as well.
          await dropConnectionIfBroken(connection)
        }
        throw error
      }
      let lease = LocalBlockLease(blockID: blockID, fd: fd, length: response.length, generation: generation)
      state.withLock { $0.entries[blockID] = Entry(lease: lease, users: 1, idleSince: nil) }
      return lease
    }
  }

  /// A stream is done with `lease`. Idle leases beyond the limits are given back to the worker
  /// before this returns (closing a stream is not on a reader's way, opening one is).
  func release(_ lease: LocalBlockLease) async {
    let now = ContinuousClock.now
    let mustClose = state.withLock { state -> Bool in
      guard var entry = state.entries[lease.blockID], entry.lease === lease else {
        // Dropped while in use (its connection failed): nobody else knows it.
        lease.dispose()
        return false
      }
      entry.users -= 1
      precondition(entry.users >= 0, "a short-circuit lease was released more often than acquired")
      if entry.users == 0 {
        entry.idleSince = now
        state.idleCount += 1
        state.idleBytes += lease.length
        state.idleOrder.append((lease.blockID, now))
      }
      state.entries[lease.blockID] = entry
      Self.evict(&state, limits: limits, now: now)
      return !state.pendingClose.isEmpty
    }
    if mustClose { await closePending() }
  }

  /// Gives back idle leases older than the idle time (the context's periodic sweep).
  func sweep() async {
    await reportTouches(force: true)
    let mustClose = state.withLock { state -> Bool in
      Self.evict(&state, limits: limits, now: .now)
      return !state.pendingClose.isEmpty
    }
    if mustClose { await closePending() }
  }

  /// Tells the worker which blocks this client read from their files by itself (see
  /// `LocalBlockFolders`), when a report is due or `force`d (the sweep). Best effort: a worker
  /// that cannot take it only loses some precision in its eviction order.
  func reportTouches(force: Bool = false) async {
    while let batch = folders.takeTouched(force: force) {
      defer { folders.reported() }
      let sent = await channel.withLock { () -> Bool in
        guard let connection = connection.withLock({ $0 }), connection.isReusable else { return false }
        do {
          var request = Goosefs_Grpc_GetBlockInfoRequest()
          request.blockIds = batch
          _ = try await connection.call(op: .touchLocal, blockID: 0, request: request)
          return true
        } catch {
          await dropConnectionIfBroken(connection)
          return false
        }
      }
      guard sent, force else { return }
    }
  }

  /// Leases held (in use or idle), for tests and logs.
  var heldCount: Int { state.withLock { $0.entries.count } }

  private func reuse(_ blockID: Int64) -> LocalBlockLease? {
    state.withLock { state in
      guard var entry = state.entries[blockID] else { return nil }
      if entry.idleSince != nil {
        entry.idleSince = nil
        state.idleCount -= 1
        state.idleBytes -= entry.lease.length
      }
      entry.users += 1
      state.entries[blockID] = entry
      return entry.lease
    }
  }

  /// Disposes idle leases, oldest first, while over a limit or older than the idle time; their
  /// worker sides are queued for CLOSE_LOCAL.
  private static func evict(_ state: inout State, limits: LocalLeaseLimits, now: ContinuousClock.Instant) {
    while state.idleOrderStart < state.idleOrder.count {
      let (blockID, since) = state.idleOrder[state.idleOrderStart]
      guard let entry = state.entries[blockID], entry.idleSince == since else {
        state.idleOrderStart += 1  // reused or disposed since: stale
        continue
      }
      let over = state.idleCount > limits.maxIdle || state.idleBytes > limits.maxIdleBytes
      guard over || now - since >= limits.idleTime else { break }
      state.idleOrderStart += 1
      state.entries[blockID] = nil
      state.idleCount -= 1
      state.idleBytes -= entry.lease.length
      entry.lease.dispose()
      if entry.lease.generation == state.generation { state.pendingClose.append(blockID) }
    }
    // Compact the queue once its consumed head dominates (amortised O(1) per lease).
    if state.idleOrderStart > 64, state.idleOrderStart * 2 > state.idleOrder.count {
      state.idleOrder.removeFirst(state.idleOrderStart)
      state.idleOrderStart = 0
    }
  }

  private func closePending() async {
    await channel.withLock {
      let (blocks, generation) = state.withLock { state in
        defer { state.pendingClose = [] }
        return (state.pendingClose, state.generation)
      }
      guard let connection = connection.withLock({ $0 }), !blocks.isEmpty else { return }
      for blockID in blocks {
        do {
          _ = try await connection.call(op: .closeLocal, blockID: blockID)
        } catch {
          // The connection is gone or confused: closing it ends all its leases on the worker.
          await dropConnection(connection, generation: generation)
          return
        }
      }
    }
  }

  /// The lease connection (made on first use) and its generation. Caller holds `channel`.
  private func leaseConnection(_ pool: BlockConnectionPool) async throws -> (BlockDataConnection, Int) {
    if let existing = connection.withLock({ $0 }) {
      if existing.isReusable { return (existing, state.withLock { $0.generation }) }
      await dropConnection(existing, generation: state.withLock { $0.generation })
    }
    // Not from the pool's idle list only: this connection is never checked in, it holds leases.
    let made = try await pool.checkout(host: address.host, port: address.rpcPort)
    connection.withLock { $0 = made }
    return (made, state.withLock { $0.generation })
  }

  private func dropConnectionIfBroken(_ broken: BlockDataConnection) async {
    guard !broken.isReusable else { return }
    await dropConnection(broken, generation: state.withLock { $0.generation })
  }

  /// Forgets a failed connection: its leases ended with it on the worker's side, so idle ones are
  /// disposed now and those in use when their stream lets go. Caller holds `channel`.
  private func dropConnection(_ dropped: BlockDataConnection, generation: Int) async {
    connection.withLock { if $0 === dropped { $0 = nil } }
    await dropped.close()
    state.withLock { state in
      guard state.generation == generation else { return }
      state.generation += 1
      state.pendingClose = []
      for (blockID, entry) in state.entries {
        if entry.users == 0 { entry.lease.dispose() }
        state.entries[blockID] = nil
      }
      state.idleOrder = []
      state.idleOrderStart = 0
      state.idleCount = 0
      state.idleBytes = 0
    }
  }

  /// The block file by path, or — when the tier folder is not visible from here (another
  /// container) — passed by the worker over its Unix socket.
  private static func openFile(_ path: String, blockID: Int64, socketPath: String) throws -> (fd: Int32, byName: Bool) {
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    if fd >= 0 { return (fd, true) }
    let reason = String(cString: strerror(errno))
    guard !socketPath.isEmpty else {
      throw GooseFSError(.permissionDenied, "Cannot open block file \(path): \(reason)")
    }
    return (try DescriptorPassingClient.open(socketPath: socketPath, blockID: blockID).fd, false)
  }
}
