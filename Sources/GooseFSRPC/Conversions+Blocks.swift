import GooseFSCore

extension WorkerNetAddress {
  public init(_ p: Goosefs_Grpc_WorkerNetAddress) {
    self.init(
      host: p.host, rpcPort: Int(p.rpcPort), webPort: Int(p.webPort),
      domainSocketPath: p.domainSocketPath, containerHost: p.containerHost)
  }

  public var proto: Goosefs_Grpc_WorkerNetAddress {
    var p = Goosefs_Grpc_WorkerNetAddress()
    p.host = host
    p.rpcPort = Int32(rpcPort)
    p.webPort = Int32(webPort)
    p.domainSocketPath = domainSocketPath
    p.containerHost = containerHost
    return p
  }
}

extension BlockLocation {
  public init(_ p: Goosefs_Grpc_BlockLocation) {
    self.init(workerID: p.workerID, address: WorkerNetAddress(p.address), tierAlias: p.tierAlias)
  }

  public var proto: Goosefs_Grpc_BlockLocation {
    var p = Goosefs_Grpc_BlockLocation()
    p.workerID = workerID
    p.address = address.proto
    p.tierAlias = tierAlias
    return p
  }
}

extension FileBlockInfo {
  public init(_ p: Goosefs_Grpc_FileBlockInfo) {
    self.init(
      blockID: p.blockInfo.blockID, offset: p.offset, length: p.blockInfo.length,
      locations: p.blockInfo.locations.map(BlockLocation.init))
  }

  public var proto: Goosefs_Grpc_FileBlockInfo {
    var p = Goosefs_Grpc_FileBlockInfo()
    p.offset = offset
    p.blockInfo.blockID = blockID
    p.blockInfo.length = length
    p.blockInfo.locations = locations.map(\.proto)
    return p
  }
}

extension TierCapacity {
  public init(_ p: Goosefs_Grpc_TierCapacity) {
    self.init(alias: p.tierAlias, capacityBytes: p.capacityBytes, usedBytes: p.usedBytes)
  }

  public var proto: Goosefs_Grpc_TierCapacity {
    var p = Goosefs_Grpc_TierCapacity()
    p.tierAlias = alias
    p.capacityBytes = capacityBytes
    p.usedBytes = usedBytes
    return p
  }
}

extension WorkerInfo {
  public init(_ p: Goosefs_Grpc_WorkerInfo) {
    self.init(
      id: p.id, address: WorkerNetAddress(p.address), lastContactSeconds: p.lastContactSec,
      state: p.state == .workerLost ? .lost : .live, tiers: p.tiers.map(TierCapacity.init),
      startTimeMs: p.startTimeMs, blockCount: p.blockCount)
  }

  public var proto: Goosefs_Grpc_WorkerInfo {
    var p = Goosefs_Grpc_WorkerInfo()
    p.id = id
    p.address = address.proto
    p.lastContactSec = lastContactSeconds
    p.state = state == .lost ? .workerLost : .workerLive
    p.tiers = tiers.map(\.proto)
    p.startTimeMs = startTimeMs
    p.blockCount = blockCount
    return p
  }
}
