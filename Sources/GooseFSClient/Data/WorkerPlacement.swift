import GooseFSCore

/// Which worker serves or stores a block: the local worker first, then a stable choice over the
/// live workers (rendezvous hashing on the block id), so the same block goes to the same worker
/// from every client and caches are not duplicated.
struct WorkerPlacement: Sendable {
  let workers: [WorkerInfo]
  let localWorkerIDs: Set<Int64>

  init(workers: [WorkerInfo], clientHostname: String) {
    self.workers = workers.filter { $0.state == .live }
    localWorkerIDs = Set(
      self.workers.filter { LocalHost.isLocal($0.address.host, clientHostname: clientHostname) }.map(\.id))
  }

  var localWorker: WorkerInfo? { workers.first { localWorkerIDs.contains($0.id) } }

  struct ReadCandidate: Sendable {
    var workerID: Int64
    var address: WorkerNetAddress
    /// The worker holds the block (else it would read the under store for us).
    var cached: Bool
  }

  /// Candidates to read a block from, best first: cached copies (local first), then — for a
  /// worker to read the under store on our behalf — the local worker and the rest by hash.
  func readCandidates(for block: FileBlockInfo, excluding: Set<Int64> = []) -> [ReadCandidate] {
    let live = Set(workers.map(\.id))
    let holders = block.locations.filter { live.contains($0.workerID) && !excluding.contains($0.workerID) }
    let cached = holders.sorted { prefers($0.workerID, over: $1.workerID, for: block.blockID) }.map { ReadCandidate(workerID: $0.workerID, address: $0.address, cached: true) }
    let others = ranked(for: block.blockID, excluding: excluding.union(holders.map(\.workerID))).map {
      ReadCandidate(workerID: $0.id, address: $0.address, cached: false)
    }
    return cached + others
  }

  /// Workers to write a block to, best first.
  func ranked(for blockID: Int64, excluding: Set<Int64> = []) -> [WorkerInfo] {
    workers.filter { !excluding.contains($0.id) }.sorted { prefers($0.id, over: $1.id, for: blockID) }
  }

  /// The local worker first, then by hash.
  private func prefers(_ lhs: Int64, over rhs: Int64, for blockID: Int64) -> Bool {
    let (l, r) = (localWorkerIDs.contains(lhs), localWorkerIDs.contains(rhs))
    return l != r ? l : Self.score(blockID, lhs) > Self.score(blockID, rhs)
  }

  /// Distinct workers for `count` replicas of a block, by hash only (distributedLoad spreads
  /// load over the cluster instead of piling it on the caller's host).
  func replicas(for blockID: Int64, count: Int) -> [WorkerInfo] {
    Array(workers.sorted { Self.score(blockID, $0.id) > Self.score(blockID, $1.id) }.prefix(count))
  }

  /// A 64-bit mix of block and worker ids (splitmix64): stable across processes and runs.
  static func score(_ blockID: Int64, _ workerID: Int64) -> UInt64 {
    var z = UInt64(bitPattern: blockID) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: workerID)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
