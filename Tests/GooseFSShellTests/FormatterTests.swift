import Foundation
import GooseFSCore
import Testing

@testable import GooseFSShell

/// Fluid's parsers, copied as regexes (pkg/utils/byte_size.go, pkg/ddc/goosefs/report.go).
enum FluidRegex {
  static var humanSize: Regex<AnyRegexOutput> { try! Regex(#"^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$"#) }
  static var counter: Regex<AnyRegexOutput> { try! Regex(#"\(Type:\sCOUNTER,\sValue:\s(.*)\)"#) }
  static var gauge: Regex<AnyRegexOutput> { try! Regex(#"\(Type:\sGAUGE,\sValue:\s(.*)/MIN\)"#) }

  static func fields(_ line: String) -> [String] {
    line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
  }

  static func captured(_ regex: Regex<AnyRegexOutput>, in line: String) -> String? {
    guard let match = line.firstMatch(of: regex), let capture = match.output[1].substring else { return nil }
    return String(capture)
  }
}

@Suite struct ModeTextTests {
  @Test(arguments: [
    (UInt32(0o755), true, "drwxr-xr-x"),
    (0o644, false, "-rw-r--r--"),
    (0o000, false, "----------"),
    (0o777, true, "drwxrwxrwx"),
    (0o1777, true, "drwxrwxrwt"),
    (0o1776, true, "drwxrwxrwT"),
    (0o4755, false, "-rwsr-xr-x"),
    (0o2745, false, "-rwxr-Sr-x"),
  ])
  func renders(mode: UInt32, directory: Bool, expected: String) {
    #expect(ModeText.format(mode, isDirectory: directory) == expected)
  }

  @Test func parsesOctal() {
    #expect(ModeText.parseOctal("755") == 0o755)
    #expect(ModeText.parseOctal("0644") == 0o644)
    #expect(ModeText.parseOctal("1777") == 0o1777)
    #expect(ModeText.parseOctal("u+x") == nil)
    #expect(ModeText.parseOctal("789") == nil)
    #expect(ModeText.parseOctal("") == nil)
  }
}

@Suite struct LsLineTests {
  let utc = TimeZone(identifier: "UTC")!

  @Test func fileLine() {
    let info = FileInfo(
      name: "a.txt", path: "/data/a.txt", kind: .file, length: 29_816, lastModificationTimeMs: 1_625_224_525_107,
      persistenceState: .persisted, owner: "root", group: "root", mode: 0o644, inGooseFSPercentage: 100)
    let line = LsLine.format(info, humanReadable: false, datePattern: DateText.defaultPattern, timeZone: utc)
    #expect(
      line == "-rw-r--r--  root           root                     29816       PERSISTED 07-02-2021 11:15:25:107 100% /data/a.txt")
    let human = LsLine.format(info, humanReadable: true, datePattern: DateText.defaultPattern, timeZone: utc)
    #expect(FluidRegex.fields(human)[3] == "29.12KB")
    // Path is the last column.
    #expect(FluidRegex.fields(line).last == "/data/a.txt")
  }

  @Test func directoryLineShowsChildCountAndDIR() {
    let info = FileInfo(
      name: "data", path: "/data", kind: .directory, length: 0, lastModificationTimeMs: 0,
      persistenceState: .notPersisted, owner: "alice", group: "staff", mode: 0o755, childCount: 3)
    let line = LsLine.format(info, humanReadable: true, datePattern: DateText.defaultPattern, timeZone: utc)
    #expect(
      line == "drwxr-xr-x  alice          staff                        3   NOT_PERSISTED 01-01-1970 00:00:00:000  DIR /data")
  }

  @Test func sortsByEveryField() {
    let a = FileInfo(name: "B", path: "/b", length: 5, creationTimeMs: 2, lastModificationTimeMs: 1)
    let b = FileInfo(name: "a", path: "/a", length: 9, creationTimeMs: 1, lastModificationTimeMs: 3)
    let c = FileInfo(name: "c", path: "/a-c", length: 1, creationTimeMs: 3, lastModificationTimeMs: 2)
    let all = [a, b, c]
    #expect(LsSortField.path.sorted(all, reversed: false).map(\.path) == ["/a", "/a-c", "/b"])
    #expect(LsSortField.path.sorted(all, reversed: true).map(\.path) == ["/b", "/a-c", "/a"])
    #expect(LsSortField.size.sorted(all, reversed: false).map(\.path) == ["/a-c", "/b", "/a"])
    #expect(LsSortField.name.sorted(all, reversed: false).map(\.path) == ["/a", "/b", "/a-c"])
    #expect(LsSortField.creationTime.sorted(all, reversed: false).map(\.path) == ["/a", "/b", "/a-c"])
    #expect(LsSortField.lastModificationTime.sorted(all, reversed: false).map(\.path) == ["/b", "/a-c", "/a"])
  }
}

@Suite struct DateTextTests {
  @Test(arguments: [
    (Int64(0), "MM-dd-yyyy HH:mm:ss:SSS", "01-01-1970 00:00:00:000"),
    (1_625_224_525_107, "MM-dd-yyyy HH:mm:ss:SSS", "07-02-2021 11:15:25:107"),
    (1_625_224_525_107, "yyyy-MM-dd HH:mm:ss", "2021-07-02 11:15:25"),
    (1_625_224_525_107, "yy/M/d h:mm a", "21/7/2 11:15 AM"),
    (1_625_224_525_107, "dd MMM yyyy 'at' HH", "02 Jul 2021 at 11"),
    (-1, "yyyy-MM-dd HH:mm:ss:SSS", "1969-12-31 23:59:59:999"),
  ])
  func formats(milliseconds: Int64, pattern: String, expected: String) {
    #expect(DateText.format(milliseconds: milliseconds, pattern: pattern, timeZone: TimeZone(identifier: "UTC")!) == expected)
  }

  @Test func usesTheTimeZone() {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    #expect(DateText.format(milliseconds: 0, pattern: "HH:mm", timeZone: shanghai) == "08:00")
  }
}

@Suite struct NumberTextTests {
  @Test(arguments: [
    (0.0, "0"), (7.0, "7"), (2410.0, "2,410"), (20_000_000.0, "20,000,000"), (6_367_897.0, "6,367,897"),
    (1.5, "1.5"), (1234.123456, "1,234.12346"), (-1234.0, "-1,234"), (0.000001, "0"),
  ])
  func groups(value: Double, expected: String) {
    #expect(NumberText.grouped(value) == expected)
  }

  @Test(arguments: [
    (Int64(0), "0B"), (4352, "4352B"), (5120, "5120B"), (29_816, "29.12KB"), (5_000_000_000, "4768.37MB"),
    (3_200_000_000, "3051.76MB"), (-1, "-1B"),
  ])
  func sizes(bytes: Int64, expected: String) {
    #expect(NumberText.size(bytes) == expected)
    if bytes >= 0 { #expect(expected.firstMatch(of: FluidRegex.humanSize) != nil) }
  }

  @Test(arguments: [
    (Int64(3_815_000), "0 day(s), 1 hour(s), 3 minute(s), and 35 second(s)"),
    (0, "0 day(s), 0 hour(s), 0 minute(s), and 0 second(s)"),
    (90_061_999, "1 day(s), 1 hour(s), 1 minute(s), and 1 second(s)"),
  ])
  func uptime(milliseconds: Int64, expected: String) {
    #expect(NumberText.clockTime(milliseconds: milliseconds) == expected)
  }
}

@Suite struct CountLinesTests {
  @Test func twoLinesWithAlluxioColumns() {
    let lines = CountLines.format(files: 6, folders: 1, bytes: 571_808_905, humanReadable: false)
    #expect(lines.count == 2)
    #expect(lines[0] == "File Count               Folder Count             Folder Size    ")
    #expect(lines[1] == "6                        1                        571808905      ")
    let numbers = FluidRegex.fields(lines[1]).compactMap { Int64($0) }
    #expect(numbers == [6, 1, 571_808_905])
  }

  @Test func humanReadableSize() {
    let lines = CountLines.format(files: 1, folders: 0, bytes: 29_816, humanReadable: true)
    #expect(FluidRegex.fields(lines[1]) == ["1", "0", "29.12KB"])
  }
}

@Suite struct MountLinesTests {
  let mounts = [
    MountPointInfo(
      mountID: 2, goosefsPath: "/hbase", ufsURI: "https://mirrors.bit.edu.cn/apache/hbase/stable", ufsType: "web",
      readOnly: true, shared: false, properties: [:]),
    MountPointInfo(
      mountID: 1, goosefsPath: "/", ufsURI: "/underFSStorage", ufsType: "local", readOnly: false, shared: false,
      properties: [:], ufsCapacityBytes: 0, ufsUsedBytes: 0),
    MountPointInfo(
      mountID: 3, goosefsPath: "/cos", ufsURI: "cosn://bucket-1250000000/data", ufsType: "cosn", readOnly: false,
      shared: true, properties: ["fs.cos.secret.key": "TOPSECRET", "fs.cosn.bucket.region": "ap-beijing"],
      ufsCapacityBytes: 1000, ufsUsedBytes: 250),
  ]

  @Test func thirdFieldIsTheGooseFSPath() {
    let lines = MountLines.format(mounts)
    #expect(lines.count == 3)
    #expect(lines.map { FluidRegex.fields($0)[2] } == ["/", "/cos", "/hbase"])
    #expect(lines.allSatisfy { FluidRegex.fields($0)[1] == "on" })
  }

  @Test func exactLayout() {
    let lines = MountLines.format(mounts)
    let ufsWidth = "https://mirrors.bit.edu.cn/apache/hbase/stable".count
    #expect(
      lines[0] == "/underFSStorage".padding(toLength: ufsWidth, withPad: " ", startingAt: 0)
        + "  on  /       (local, capacity=0B, used=0B, not read-only, not shared, properties={})")
    #expect(lines[2].hasSuffix("  on  /hbase  (web, capacity=-1B, used=-1B, read-only, not shared, properties={})"))
    #expect(lines[1].contains("(cosn, capacity=1000B, used=250B(25%), not read-only, shared, "))
  }

  @Test func secretsAreMasked() {
    let line = MountLines.format(mounts)[1]
    #expect(!line.contains("TOPSECRET"))
    #expect(line.contains("fs.cosn.bucket.region=ap-beijing"))
    #expect(line.hasSuffix("properties={fs.cos.secret.key=\(Configuration.mask(name: "fs.cos.secret.key", value: "TOPSECRET")), fs.cosn.bucket.region=ap-beijing})"))
  }

  @Test func emptyTablePrintsNothing() {
    #expect(MountLines.format([]).isEmpty)
  }
}

@Suite struct SummaryLinesTests {
  let utc = TimeZone(identifier: "UTC")!

  func info(tiers: [MasterInfo.TierCapacity]) -> MasterInfo {
    MasterInfo(
      leaderAddress: "172.18.0.2:20000", rpcPort: 20000, webPort: 20001, startTimeMs: 1_625_224_525_107,
      upTimeMs: 3_815_000, version: "2.3.1-SNAPSHOT", liveWorkers: 1, tiers: tiers)
  }

  @Test func matchesTheFluidSample() {
    let tiers = [MasterInfo.TierCapacity(alias: "MEM", capacityBytes: 20_000_000, usedBytes: 10_160_000)]
    let lines = SummaryLines.format(info(tiers: tiers), datePattern: DateText.defaultPattern, timeZone: utc)
    #expect(lines == [
      "GooseFS cluster summary: ",
      "    Master Address: 172.18.0.2:20000",
      "    Web Port: 20001",
      "    Rpc Port: 20000",
      "    Started: 07-02-2021 11:15:25:107",
      "    Uptime: 0 day(s), 1 hour(s), 3 minute(s), and 35 second(s)",
      "    Version: 2.3.1-SNAPSHOT",
      "    Safe Mode: false",
      "    Zookeeper Enabled: false",
      "    Live Workers: 1",
      "    Lost Workers: 0",
      "    Total Capacity: 19.07MB",
      "        Tier: MEM  Size: 19.07MB",
      "    Used Capacity: 9.69MB",
      "        Tier: MEM  Size: 9.69MB",
      "    Free Capacity: 9.38MB",
    ])
  }

  @Test func fluidParsesZeroWorkers() {
    let output = SummaryLines.format(info(tiers: []), datePattern: DateText.defaultPattern, timeZone: utc)
      .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    let lines = output.components(separatedBy: "\n")
    // MasterPodName: strings.Fields(lines[1])[2] split on ":".
    let address = FluidRegex.fields(lines[1])
    #expect(address[0] == "Master" && address[1] == "Address:")
    #expect(address[2].split(separator: ":").first == "172.18.0.2")
    var found = 0
    for line in lines.map({ $0.trimmingCharacters(in: .whitespaces) }) {
      for prefix in ["Total Capacity: ", "Used Capacity: "] where line.hasPrefix(prefix) {
        #expect(String(line.dropFirst(prefix.count)).firstMatch(of: FluidRegex.humanSize) != nil)
        found += 1
      }
    }
    #expect(found == 2)
    #expect(!output.contains("Tier:"))
  }

  @Test func addsThePortWhenTheAddressHasNone() {
    var bare = info(tiers: [])
    bare.leaderAddress = "master-0"
    #expect(SummaryLines.masterAddress(bare) == "master-0:20000")
  }

  @Test func tiersFastestFirst() {
    let tiers = [
      MasterInfo.TierCapacity(alias: "HDD", capacityBytes: 3, usedBytes: 0),
      MasterInfo.TierCapacity(alias: "MEM", capacityBytes: 1, usedBytes: 0),
      MasterInfo.TierCapacity(alias: "SSD", capacityBytes: 2, usedBytes: 0),
    ]
    #expect(TierOrder.sorted(tiers).map(\.alias) == ["MEM", "SSD", "HDD"])
  }
}

@Suite struct CapacityLinesTests {
  @Test func zeroWorkers() {
    let lines = CapacityLines.format([], range: .all)
    #expect(lines == [
      "Capacity information for all workers: ",
      "    Total Capacity: 0B",
      "    Used Capacity: 0B",
      "",
      "Worker Name      Last Heartbeat   Storage       MEM",
    ])
  }

  @Test func oneTier() {
    let worker = WorkerInfo(
      id: 1, address: WorkerNetAddress(host: "172.31.0.7", rpcPort: 1),
      tiers: [.init(alias: "MEM", capacityBytes: 1 << 30, usedBytes: 0)])
    let lines = CapacityLines.format([worker], range: .live)
    #expect(lines[0] == "Capacity information for live workers: ")
    #expect(lines[1] == "    Total Capacity: 1024.00MB")
    #expect(lines[2] == "        Tier: MEM  Size: 1024.00MB")
    #expect(lines.contains("    Used Percentage: 0%"))
    #expect(lines.contains("    Free Percentage: 100%"))
    // The GooseFS documentation's sample.
    #expect(lines.suffix(3) == [
      "Worker Name      Last Heartbeat   Storage       MEM",
      "172.31.0.7       0                capacity      1024.00MB",
      "                                  used          0B (0%)",
    ])
  }
}

@Suite struct MetricLinesTests {
  let metrics = [
    MetricValue(name: "Cluster.BytesReadUfsThroughput", kind: .gauge, value: 806_062),
    MetricValue(name: "Cluster.BytesReadLocal", kind: .counter, value: 20_310_000),
    MetricValue(name: "Cluster.BytesReadLocalThroughput", kind: .gauge, value: 507_873),
    MetricValue(name: "Cluster.BytesReadUfsAll", kind: .counter, value: 32_243_712),
    MetricValue(name: "Cluster.CapacityTotal", kind: .gauge, value: 20_000_000),
    MetricValue(name: "Master.blockHeartbeat.User:root", kind: .timer, value: 2410),
    MetricValue(name: "Cluster.Workers", kind: .gauge, value: 1),
  ]

  @Test func sortedLinesInAlluxioFormat() {
    let lines = MetricLines.format(metrics)
    #expect(lines == [
      "Cluster.BytesReadLocal  (Type: COUNTER, Value: 19.37MB)",
      "Cluster.BytesReadLocalThroughput  (Type: GAUGE, Value: 495.97KB/MIN)",
      "Cluster.BytesReadUfsAll  (Type: COUNTER, Value: 30.75MB)",
      "Cluster.BytesReadUfsThroughput  (Type: GAUGE, Value: 787.17KB/MIN)",
      "Cluster.CapacityTotal  (Type: GAUGE, Value: 20,000,000)",
      "Cluster.Workers  (Type: GAUGE, Value: 1)",
      "Master.FilesCompleted  (Type: COUNTER, Value: 0)",
      "Master.blockHeartbeat.User:root  (Type: TIMER, Value: 2,410)",
    ])
  }

  @Test func fluidRegexesAcceptTheCacheLines() throws {
    let lines = MetricLines.format(metrics)
    let counters = ["Cluster.BytesReadLocal ", "Cluster.BytesReadRemote ", "Cluster.BytesReadUfsAll "]
    let gauges = ["Cluster.BytesReadLocalThroughput ", "Cluster.BytesReadRemoteThroughput ", "Cluster.BytesReadUfsThroughput "]
    for line in lines {
      if counters.contains(where: line.hasPrefix) {
        let value = try #require(FluidRegex.captured(FluidRegex.counter, in: line))
        #expect(value.firstMatch(of: FluidRegex.humanSize) != nil, "\(line)")
      }
      if gauges.contains(where: line.hasPrefix) {
        let value = try #require(FluidRegex.captured(FluidRegex.gauge, in: line))
        #expect(value.firstMatch(of: FluidRegex.humanSize) != nil, "\(line)")
      }
    }
  }

  @Test func filesCompletedGroupedAndParseable() throws {
    let lines = MetricLines.format([MetricValue(name: "Master.FilesCompleted", kind: .counter, value: 6_367_897)])
    let line = try #require(lines.first { $0.contains("Master.FilesCompleted") })
    #expect(line == "Master.FilesCompleted  (Type: COUNTER, Value: 6,367,897)")
    // Fluid: remove commas, first \d+.
    let digits = line.replacingOccurrences(of: ",", with: "").firstMatch(of: /\d+/).map { String($0.output) }
    #expect(digits == "6367897")
  }
}
