import GooseFSCore

/// `fsadmin report capacity` (Alluxio 2.x CapacityCommand): the aggregate of the selected
/// workers, a blank line, then the `Worker Name` header (no indent: Fluid's
/// GetWorkerUsedCapacity finds it with HasPrefix) and a pair of lines per worker, which Fluid
/// reads as one record: fields [0] name and [5] used size (with a single tier).
///
/// Workers are sorted by last heartbeat, most recent first. With one tier alias in the whole
/// report: `%-Ns %-16s %-13s %s` with that alias as the last header; with several, Alluxio's
/// `Total` column then one 14-wide column per alias (`-` where a worker lacks the tier),
/// trailing spaces included. The name column is 16 wide, or 5 wider than the longest name when
/// a name would not fit.
enum CapacityLines {
  enum WorkerRange: String, Sendable {
    case all, live, lost, specified
  }

  static func format(_ workers: [WorkerInfo], range: WorkerRange) -> [String] {
    let indent = "    "
    let tiers = TierOrder.aggregated(workers.flatMap(\.tiers))
    let total = tiers.reduce(Int64(0)) { $0 + $1.capacityBytes }
    let used = tiers.reduce(Int64(0)) { $0 + $1.usedBytes }

    var lines = ["Capacity information for \(range.rawValue) workers: "]
    lines.append(indent + "Total Capacity: " + NumberText.size(total))
    for tier in tiers {
      lines.append(indent + indent + "Tier: \(tier.alias)  Size: " + NumberText.size(tier.capacityBytes))
    }
    lines.append(indent + "Used Capacity: " + NumberText.size(used))
    for tier in tiers {
      lines.append(indent + indent + "Tier: \(tier.alias)  Size: " + NumberText.size(tier.usedBytes))
    }
    if total != 0 {
      let percentage = 100 * used / total
      lines.append(indent + "Used Percentage: \(percentage)%")
      lines.append(indent + "Free Percentage: \(100 - percentage)%")
    }
    lines.append("")
    let table = WorkerTable(aliases: tiers.map(\.alias), workers: workers)
    lines.append(table.header)
    for worker in workers.sorted(by: { $0.lastContactSeconds < $1.lastContactSeconds }) {
      lines += table.rows(worker)
    }
    return lines
  }

  /// Alluxio's `-workers` filter: host names or IP addresses (a `host:port` also matches).
  static func select(_ workers: [WorkerInfo], range: WorkerRange, names: [String]) -> [WorkerInfo] {
    switch range {
    case .all: workers
    case .live: workers.filter { $0.state == .live }
    case .lost: workers.filter { $0.state == .lost }
    case .specified:
      workers.filter { names.contains($0.address.host) || names.contains($0.address.hostAndPort) }
    }
  }

  private struct WorkerTable {
    let aliases: [String]
    let nameWidth: Int

    init(aliases: [String], workers: [WorkerInfo]) {
      self.aliases = aliases.isEmpty ? ["MEM"] : aliases
      let longest = workers.map(\.address.host.count).max() ?? 0
      nameWidth = longest >= 16 ? longest + 5 : 16
    }

    var isSingleTier: Bool { aliases.count == 1 }

    var header: String {
      isSingleTier
        ? row("Worker Name", "Last Heartbeat", "Storage", aliases[0])
        : row("Worker Name", "Last Heartbeat", "Storage", "Total", aliases)
    }

    func rows(_ worker: WorkerInfo) -> [String] {
      let capacity = worker.capacityBytes
      let used = worker.usedBytes
      let usedText = NumberText.size(used) + (capacity == 0 ? "" : " (\(100 * used / capacity)%)")
      let name = worker.address.host
      let heartbeat = String(worker.lastContactSeconds)
      if isSingleTier {
        return [row(name, heartbeat, "capacity", NumberText.size(capacity)), row("", "", "used", usedText)]
      }
      return [
        row(name, heartbeat, "capacity", NumberText.size(capacity), tierValues(worker, \.capacityBytes)),
        row("", "", "used", usedText, tierValues(worker, \.usedBytes)),
      ]
    }

    private func tierValues(_ worker: WorkerInfo, _ value: KeyPath<MasterInfo.TierCapacity, Int64>) -> [String] {
      let own = TierOrder.aggregated(worker.tiers)
      return aliases.map { alias in
        own.first { $0.alias == alias }.map { NumberText.size($0[keyPath: value]) } ?? "-"
      }
    }

    private func row(_ name: String, _ heartbeat: String, _ storage: String, _ value: String) -> String {
      Columns.left(name, nameWidth) + " " + Columns.left(heartbeat, 16) + " " + Columns.left(storage, 13) + " " + value
    }

    private func row(_ name: String, _ heartbeat: String, _ storage: String, _ total: String, _ tiers: [String]) -> String {
      row(name, heartbeat, storage, Columns.left(total, 16)) + " " + tiers.map { Columns.left($0, 14) }.joined()
    }
  }
}
