import Foundation
import GooseFSCore

/// Storage tiers print fastest first, as Alluxio's `compareTierNames`: MEM, SSD, HDD, then
/// any other alias alphabetically.
enum TierOrder {
  static func sorted(_ tiers: [MasterInfo.TierCapacity]) -> [MasterInfo.TierCapacity] {
    tiers.sorted { rank($0.alias) == rank($1.alias) ? $0.alias < $1.alias : rank($0.alias) < rank($1.alias) }
  }

  /// Sums capacities per alias (several workers, or several tiers with one alias), fastest first.
  static func aggregated(_ tiers: [MasterInfo.TierCapacity]) -> [MasterInfo.TierCapacity] {
    var byAlias: [String: MasterInfo.TierCapacity] = [:]
    for tier in tiers {
      var sum = byAlias[tier.alias] ?? MasterInfo.TierCapacity(alias: tier.alias, capacityBytes: 0, usedBytes: 0)
      sum.capacityBytes += tier.capacityBytes
      sum.usedBytes += tier.usedBytes
      byAlias[tier.alias] = sum
    }
    return sorted(Array(byAlias.values))
  }

  private static func rank(_ alias: String) -> Int {
    switch alias.uppercased() {
    case "MEM": 0
    case "SSD": 1
    case "HDD": 2
    default: 3
    }
  }
}

/// `fsadmin report [summary]` (Alluxio SummaryCommand with GooseFS's title). Fluid reads line 1
/// (after trimming the whole output) as `Master Address: host:port`, and the lines starting
/// with `Total Capacity: ` / `Used Capacity: ` through its FromHumanSize regex.
enum SummaryLines {
  static func format(_ info: MasterInfo, datePattern: String, timeZone: TimeZone) -> [String] {
    let indent = "    "
    let tierIndent = indent + indent
    let tiers = TierOrder.sorted(info.tiers)
    let total = tiers.reduce(Int64(0)) { $0 + $1.capacityBytes }
    let used = tiers.reduce(Int64(0)) { $0 + $1.usedBytes }

    var lines = ["GooseFS cluster summary: "]
    lines.append(indent + "Master Address: " + masterAddress(info))
    lines.append(indent + "Web Port: \(info.webPort)")
    lines.append(indent + "Rpc Port: \(info.rpcPort)")
    lines.append(indent + "Started: " + DateText.format(milliseconds: info.startTimeMs, pattern: datePattern, timeZone: timeZone))
    lines.append(indent + "Uptime: " + NumberText.clockTime(milliseconds: info.upTimeMs))
    lines.append(indent + "Version: \(info.version)")
    lines.append(indent + "Safe Mode: \(info.safeMode)")
    lines.append(indent + "Zookeeper Enabled: \(info.zookeeperEnabled)")
    lines.append(indent + "Live Workers: \(info.liveWorkers)")
    lines.append(indent + "Lost Workers: \(info.lostWorkers)")
    lines.append(indent + "Total Capacity: " + NumberText.size(total))
    for tier in tiers {
      lines.append(tierIndent + "Tier: \(tier.alias)  Size: " + NumberText.size(tier.capacityBytes))
    }
    lines.append(indent + "Used Capacity: " + NumberText.size(used))
    for tier in tiers {
      lines.append(tierIndent + "Tier: \(tier.alias)  Size: " + NumberText.size(tier.usedBytes))
    }
    lines.append(indent + "Free Capacity: " + NumberText.size(max(total - used, 0)))
    return lines
  }

  /// `host:port`; Fluid splits field 2 of this line on `:` and uses the host as a pod name.
  static func masterAddress(_ info: MasterInfo) -> String {
    info.leaderAddress.contains(":") ? info.leaderAddress : "\(info.leaderAddress):\(info.rpcPort)"
  }
}

/// `fsadmin report metrics`: one `<name>  (Type: <KIND>, Value: <v>)` line per metric, sorted by
/// name. Fluid matches `\(Type:\sCOUNTER,\sValue:\s(.*)\)` and `...GAUGE...(.*)/MIN\)`, then
/// parses the value with FromHumanSize, so byte metrics must use the size format, and
/// `grep Master.FilesCompleted` must always find a line.
enum MetricLines {
  static let filesCompleted = "Master.FilesCompleted"

  static func format(_ metrics: [MetricValue]) -> [String] {
    var byName: [String: MetricValue] = [:]
    for metric in metrics { byName[metric.name] = metric }
    if byName[filesCompleted] == nil {
      byName[filesCompleted] = MetricValue(name: filesCompleted, kind: .counter, value: 0)
    }
    return byName.keys.sorted().map { name in
      let metric = byName[name]!
      return "\(name)  (Type: \(metric.kind.rawValue), Value: \(value(of: metric)))"
    }
  }

  static func value(of metric: MetricValue) -> String {
    if metric.name.contains("Bytes") {
      let bytes = metric.value.isFinite ? Int64(metric.value.rounded(.towardZero)) : 0
      let text = NumberText.size(bytes)
      return metric.name.hasSuffix("Throughput") ? text + "/MIN" : text
    }
    return NumberText.grouped(metric.value)
  }
}

extension String {
  var trailingSpacesRemoved: String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
