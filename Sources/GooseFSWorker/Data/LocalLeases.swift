import GooseFSCore
import Synchronization

/// Blocks lent to a short-circuit reader on this connection: held against eviction until the
/// client closes them or the connection ends.
final class LocalLeases: Sendable {
  private let leases = Mutex<[Int64: [BlockReadLease]]>([:])

  func open(_ blockID: Int64, store: TieredBlockStore) async throws -> BlockReadLease {
    let lease = try await store.openForRead(blockID)
    leases.withLock { $0[blockID, default: []].append(lease) }
    return lease
  }

  func release(_ blockID: Int64) async {
    let lease = leases.withLock { leases -> BlockReadLease? in
      guard var held = leases[blockID], !held.isEmpty else { return nil }
      let lease = held.removeLast()
      leases[blockID] = held.isEmpty ? nil : held
      return lease
    }
    await lease?.release()
  }

  func releaseAll() async {
    let all = leases.withLock { leases -> [BlockReadLease] in
      defer { leases = [:] }
      return leases.values.flatMap { $0 }
    }
    for lease in all { await lease.release() }
  }
}
