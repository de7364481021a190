import Foundation
import GooseFSCore
import Testing

@testable import GooseFSShell

@Suite struct ReportCapacityTests {
  static func worker(
    _ id: Int64, _ host: String, heartbeat: Int64, state: WorkerInfo.State = .live, _ tiers: [(String, Int64, Int64)]
  ) -> WorkerInfo {
    WorkerInfo(
      id: id, address: WorkerNetAddress(host: host, rpcPort: 29999), lastContactSeconds: heartbeat, state: state,
      tiers: tiers.map { TierCapacity(alias: $0.0, capacityBytes: $0.1, usedBytes: $0.2) })
  }

  func cluster(_ workers: [WorkerInfo]) -> InMemoryFileSystem {
    let fs = InMemoryFileSystem()
    fs.state.withLock { $0.workers = workers }
    return fs
  }

  @Test func twoWorkersParsedWithFluidsRules() async throws {
    let fs = cluster([
      Self.worker(1, "172.31.0.7", heartbeat: 3, [("MEM", 1 << 30, 100 << 20)]),
      Self.worker(2, "172.31.0.8", heartbeat: 0, [("MEM", 1 << 30, 0)]),
    ])
    let result = try await ShellHarness.run(["fsadmin", "report", "capacity"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines == [
      "Capacity information for all workers: ",
      "    Total Capacity: 2048.00MB",
      "        Tier: MEM  Size: 2048.00MB",
      "    Used Capacity: 100.00MB",
      "        Tier: MEM  Size: 100.00MB",
      "    Used Percentage: 4%",
      "    Free Percentage: 96%",
      "",
      "Worker Name      Last Heartbeat   Storage       MEM",
      "172.31.0.8       0                capacity      1024.00MB",
      "                                  used          0B (0%)",
      "172.31.0.7       3                capacity      1024.00MB",
      "                                  used          100.00MB (9%)",
    ])
    #expect(try FluidParsers.workerUsedCapacity(result.stdout) == ["172.31.0.7": 100 << 20, "172.31.0.8": 0])
  }

  /// The layout of Alluxio's CapacityCommandTest "shortCapacity" (one tier named RAM).
  @Test func singleTierLayout() async throws {
    let fs = cluster([
      Self.worker(1, "29.53.5.124", heartbeat: 6_424_122, state: .lost, [("RAM", 6_000_000_000, 5_000_000_000)]),
      Self.worker(2, "215.42.95.24", heartbeat: 953, [("RAM", 10_000_000_000, 500_000_000)]),
    ])
    let result = try await ShellHarness.run(["fsadmin", "report", "capacity"], fileSystem: fs)
    #expect(result.lines == [
      "Capacity information for all workers: ",
      "    Total Capacity: 14.90GB",
      "        Tier: RAM  Size: 14.90GB",
      "    Used Capacity: 5.12GB",
      "        Tier: RAM  Size: 5.12GB",
      "    Used Percentage: 34%",
      "    Free Percentage: 66%",
      "",
      "Worker Name      Last Heartbeat   Storage       RAM",
      "215.42.95.24     953              capacity      9.31GB",
      "                                  used          476.84MB (5%)",
      "29.53.5.124      6424122          capacity      5.59GB",
      "                                  used          4768.37MB (83%)",
    ])
    let lost = try await ShellHarness.run(["fsadmin", "report", "capacity", "-lost"], fileSystem: fs)
    #expect(lost.lines.first == "Capacity information for lost workers: ")
    #expect(lost.lines.filter { $0.hasPrefix("2") }.count == 1)
    let lostUsed = try FluidParsers.fromHumanSize("4768.37MB")
    #expect(try FluidParsers.workerUsedCapacity(lost.stdout) == ["29.53.5.124": lostUsed])
  }

  /// The layout of Alluxio's CapacityCommandTest "longCapacity": a Total column, one 14-wide
  /// column per tier, `-` for a tier a worker lacks, trailing spaces kept.
  @Test func multiTierLayout() async throws {
    let fs = cluster([
      Self.worker(1, "64.68.90.1", heartbeat: 3123, [
        ("MEM", 4_000_000_000, 3_000_000_000), ("RAM", 6_000_000_000, 5_000_000_000), ("HDD", 2_000_000_000, 2_000_000_000),
      ]),
      Self.worker(2, "216.239.33.96", heartbeat: 542, [
        ("MEM", 5_000_000_000, 200_000_000), ("SSD", 5_000_000_000, 300_000_000), ("DOM", 10_000_000_000, 500_000_000),
      ]),
    ])
    let result = try await ShellHarness.run(["fsadmin", "report", "capacity"], fileSystem: fs)
    #expect(result.lines == [
      "Capacity information for all workers: ",
      "    Total Capacity: 29.80GB",
      "        Tier: MEM  Size: 8.38GB",
      "        Tier: SSD  Size: 4768.37MB",
      "        Tier: HDD  Size: 1907.35MB",
      "        Tier: DOM  Size: 9.31GB",
      "        Tier: RAM  Size: 5.59GB",
      "    Used Capacity: 10.24GB",
      "        Tier: MEM  Size: 3051.76MB",
      "        Tier: SSD  Size: 286.10MB",
      "        Tier: HDD  Size: 1907.35MB",
      "        Tier: DOM  Size: 476.84MB",
      "        Tier: RAM  Size: 4768.37MB",
      "    Used Percentage: 34%",
      "    Free Percentage: 66%",
      "",
      "Worker Name      Last Heartbeat   Storage       Total            MEM           SSD           HDD           DOM           RAM           ",
      "216.239.33.96    542              capacity      18.63GB          4768.37MB     4768.37MB     -             9.31GB        -             ",
      "                                  used          953.67MB (5%)    190.73MB      286.10MB      -             476.84MB      -             ",
      "64.68.90.1       3123             capacity      11.18GB          3814.70MB     -             1907.35MB     -             5.59GB        ",
      "                                  used          9.31GB (83%)     2861.02MB     -             1907.35MB     -             4768.37MB     ",
    ])
    // Field 5 is then a tier column, `-` here: Fluid's parser returns an error (the upstream
    // bug of fluid-contract §3.6), but never panics on our line pairs.
    #expect(throws: FluidParseError.self) { try FluidParsers.workerUsedCapacity(result.stdout) }
  }

  @Test func longWorkerNamesWidenTheFirstColumn() async throws {
    let fs = cluster([Self.worker(1, "org.alluxio.long.host1", heartbeat: 6211, [("MEM", 600_000_000, 300_000_000)])])
    let result = try await ShellHarness.run(["fsadmin", "report", "capacity"], fileSystem: fs)
    #expect(result.lines.suffix(3) == [
      "Worker Name                 Last Heartbeat   Storage       MEM",
      "org.alluxio.long.host1      6211             capacity      572.20MB",
      "                                             used          286.10MB (50%)",
    ])
  }

  @Test func workerFilters() async throws {
    let fs = cluster([
      Self.worker(1, "10.0.0.1", heartbeat: 1, [("MEM", 1000, 0)]),
      Self.worker(2, "10.0.0.2", heartbeat: 400, state: .lost, [("MEM", 1000, 500)]),
    ])
    let live = try await ShellHarness.run(["fsadmin", "report", "capacity", "-live"], fileSystem: fs)
    #expect(try FluidParsers.workerUsedCapacity(live.stdout) == ["10.0.0.1": 0])
    let named = try await ShellHarness.run(["fsadmin", "report", "capacity", "-workers", "10.0.0.2,10.9.9.9"], fileSystem: fs)
    #expect(named.lines.first == "Capacity information for specified workers: ")
    #expect(try FluidParsers.workerUsedCapacity(named.stdout) == ["10.0.0.2": 500])
    let unknown = try await ShellHarness.run(["fsadmin", "report", "capacity", "-workers", "10.9.9.9"], fileSystem: fs)
    #expect(unknown.code == 255)
    #expect(unknown.stdout == "Worker IP addresses are invalid.\n")
  }

  @Test func noWorkersStillParses() async throws {
    let result = try await ShellHarness.run(["fsadmin", "report", "capacity"])
    #expect(result.code == 0)
    #expect(result.lines.last == "Worker Name      Last Heartbeat   Storage       MEM")
    #expect(try FluidParsers.workerUsedCapacity(result.stdout).isEmpty)
  }

  @Test func summaryCapacityLinesParseWithFluidsRules() async throws {
    let fs = InMemoryFileSystem()
    fs.state.withLock {
      $0.masterInfo.liveWorkers = 2
      $0.masterInfo.tiers = [
        TierCapacity(alias: "SSD", capacityBytes: 3_200_000_000, usedBytes: 0),
        TierCapacity(alias: "MEM", capacityBytes: 20_000_000, usedBytes: 10_160_000),
      ]
    }
    let result = try await ShellHarness.run(["fsadmin", "report", "summary"], fileSystem: fs)
    #expect(result.lines.contains("    Live Workers: 2"))
    #expect(result.lines.contains("        Tier: MEM  Size: 19.07MB"))
    #expect(result.lines.contains("        Tier: SSD  Size: 3051.76MB"))
    #expect(result.lines.contains("    Total Capacity: 3070.83MB"))
    let parsed = try FluidParsers.reportSummary(result.stdout)
    #expect(parsed.capacity == (try FluidParsers.fromHumanSize("3070.83MB")))
    #expect(parsed.used == (try FluidParsers.fromHumanSize("9.69MB")))
  }
}
