import GooseFSCore

extension MountPointInfo {
  public init(_ p: Goosefs_Grpc_MountPointInfo) {
    self.init(
      mountID: p.mountID, goosefsPath: p.goosefsPath, ufsURI: p.ufsUri, ufsType: p.ufsType,
      readOnly: p.readOnly, shared: p.shared, properties: p.properties,
      ufsCapacityBytes: p.ufsCapacityBytes, ufsUsedBytes: p.ufsUsedBytes
    )
  }

  public var proto: Goosefs_Grpc_MountPointInfo {
    var p = Goosefs_Grpc_MountPointInfo()
    p.mountID = mountID
    p.goosefsPath = goosefsPath
    p.ufsUri = ufsURI
    p.ufsType = ufsType
    p.readOnly = readOnly
    p.shared = shared
    p.properties = properties
    p.ufsCapacityBytes = ufsCapacityBytes
    p.ufsUsedBytes = ufsUsedBytes
    return p
  }
}

extension MasterInfo {
  public init(_ p: Goosefs_Grpc_GetMasterInfoResponse) {
    self.init(
      leaderAddress: p.leaderMasterAddress, rpcPort: Int(p.rpcPort), webPort: Int(p.webPort),
      startTimeMs: p.startTimeMs, upTimeMs: p.upTimeMs, version: p.version, safeMode: p.safeMode,
      zookeeperEnabled: p.zookeeperEnabled, liveWorkers: Int(p.liveWorkerCount),
      lostWorkers: Int(p.lostWorkerCount),
      tiers: p.tiers.map { TierCapacity(alias: $0.tierAlias, capacityBytes: $0.capacityBytes, usedBytes: $0.usedBytes) },
      clusterID: p.clusterID
    )
  }

  public var proto: Goosefs_Grpc_GetMasterInfoResponse {
    var p = Goosefs_Grpc_GetMasterInfoResponse()
    p.leaderMasterAddress = leaderAddress
    p.rpcPort = Int32(rpcPort)
    p.webPort = Int32(webPort)
    p.startTimeMs = startTimeMs
    p.upTimeMs = upTimeMs
    p.version = version
    p.safeMode = safeMode
    p.zookeeperEnabled = zookeeperEnabled
    p.liveWorkerCount = Int32(liveWorkers)
    p.lostWorkerCount = Int32(lostWorkers)
    p.tiers = tiers.map {
      var t = Goosefs_Grpc_TierCapacity()
      t.tierAlias = $0.alias
      t.capacityBytes = $0.capacityBytes
      t.usedBytes = $0.usedBytes
      return t
    }
    p.clusterID = clusterID
    return p
  }
}

extension MetricValue {
  public init(_ p: Goosefs_Grpc_Metric) {
    let kind: MetricKind =
      switch p.type {
      case .gauge: .gauge
      case .timer: .timer
      default: .counter
      }
    self.init(name: p.name, kind: kind, value: p.value)
  }

  public var proto: Goosefs_Grpc_Metric {
    var p = Goosefs_Grpc_Metric()
    p.name = name
    p.type =
      switch kind {
      case .counter: .counter
      case .gauge: .gauge
      case .timer: .timer
      }
    p.value = value
    return p
  }
}
