/// Cluster summary served by the master: what `goosefs fsadmin report` prints.
public struct MasterInfo: Sendable, Equatable {
  public struct TierCapacity: Sendable, Equatable {
    public var alias: String
    public var capacityBytes: Int64
    public var usedBytes: Int64
    public init(alias: String, capacityBytes: Int64, usedBytes: Int64) {
      self.alias = alias
      self.capacityBytes = capacityBytes
      self.usedBytes = usedBytes
    }
  }

  public var leaderAddress: String
  public var rpcPort: Int
  public var webPort: Int
  public var startTimeMs: Int64
  public var upTimeMs: Int64
  public var version: String
  public var safeMode: Bool
  public var zookeeperEnabled: Bool
  public var liveWorkers: Int
  public var lostWorkers: Int
  public var tiers: [TierCapacity]
  public var clusterID: String

  public init(
    leaderAddress: String, rpcPort: Int, webPort: Int, startTimeMs: Int64, upTimeMs: Int64,
    version: String, safeMode: Bool = false, zookeeperEnabled: Bool = false, liveWorkers: Int = 0,
    lostWorkers: Int = 0, tiers: [TierCapacity] = [], clusterID: String = ""
  ) {
    self.leaderAddress = leaderAddress
    self.rpcPort = rpcPort
    self.webPort = webPort
    self.startTimeMs = startTimeMs
    self.upTimeMs = upTimeMs
    self.version = version
    self.safeMode = safeMode
    self.zookeeperEnabled = zookeeperEnabled
    self.liveWorkers = liveWorkers
    self.lostWorkers = lostWorkers
    self.tiers = tiers
    self.clusterID = clusterID
  }
}

public enum MetricKind: String, Sendable {
  case counter = "COUNTER"
  case gauge = "GAUGE"
  case timer = "TIMER"
}

public struct MetricValue: Sendable, Equatable {
  public var name: String
  public var kind: MetricKind
  public var value: Double
  public init(name: String, kind: MetricKind, value: Double) {
    self.name = name
    self.kind = kind
    self.value = value
  }
}
