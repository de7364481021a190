/// How clients and other workers reach a worker. Blocks and the worker's control operations are
/// all served on `rpcPort` (the block protocol); short-circuit readers use `domainSocketPath`.
public struct WorkerNetAddress: Sendable, Hashable {
  public var host: String
  public var rpcPort: Int
  public var webPort: Int
  public var domainSocketPath: String
  public var containerHost: String

  public init(host: String, rpcPort: Int, webPort: Int = 0, domainSocketPath: String = "", containerHost: String = "") {
    self.host = host
    self.rpcPort = rpcPort
    self.webPort = webPort
    self.domainSocketPath = domainSocketPath
    self.containerHost = containerHost
  }

  public var hostAndPort: String { "\(host):\(rpcPort)" }
}

/// One cached copy of a block.
public struct BlockLocation: Sendable, Hashable {
  public var workerID: Int64
  public var address: WorkerNetAddress
  public var tierAlias: String

  public init(workerID: Int64, address: WorkerNetAddress, tierAlias: String) {
    self.workerID = workerID
    self.address = address
    self.tierAlias = tierAlias
  }
}

/// A block of a file: where it starts in the file, how long it is, where it is cached.
public struct FileBlockInfo: Sendable, Equatable {
  public var blockID: Int64
  public var offset: Int64
  public var length: Int64
  public var locations: [BlockLocation]

  public init(blockID: Int64, offset: Int64, length: Int64, locations: [BlockLocation] = []) {
    self.blockID = blockID
    self.offset = offset
    self.length = length
    self.locations = locations
  }
}

public typealias TierCapacity = MasterInfo.TierCapacity

/// A worker as the block master sees it.
public struct WorkerInfo: Sendable, Equatable {
  public enum State: String, Sendable {
    case live = "In Service"
    case lost = "Out of Service"
  }

  public var id: Int64
  public var address: WorkerNetAddress
  public var lastContactSeconds: Int64
  public var state: State
  /// Top tier first.
  public var tiers: [TierCapacity]
  public var startTimeMs: Int64
  public var blockCount: Int64

  public init(
    id: Int64, address: WorkerNetAddress, lastContactSeconds: Int64 = 0, state: State = .live,
    tiers: [TierCapacity] = [], startTimeMs: Int64 = 0, blockCount: Int64 = 0
  ) {
    self.id = id
    self.address = address
    self.lastContactSeconds = lastContactSeconds
    self.state = state
    self.tiers = tiers
    self.startTimeMs = startTimeMs
    self.blockCount = blockCount
  }

  public var capacityBytes: Int64 { tiers.reduce(0) { $0 + $1.capacityBytes } }
  public var usedBytes: Int64 { tiers.reduce(0) { $0 + $1.usedBytes } }
}

/// Alluxio's block ids: a file's blocks share a container id in the high bits, the index is low.
public enum BlockID {
  public static let indexBits: Int64 = 24

  public static func make(container: Int64, index: Int64) -> Int64 { (container << indexBits) | index }
  public static func container(of blockID: Int64) -> Int64 { blockID >> indexBits }
  public static func index(of blockID: Int64) -> Int64 { blockID & ((1 << indexBits) - 1) }
}
