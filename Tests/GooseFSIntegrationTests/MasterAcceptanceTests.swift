import Foundation
import Testing

/// The master issue's acceptance points, run against real processes.
@Suite(.serialized) struct MasterAcceptanceTests {
  @Test func listsCountsAndReportsTheUnderStoreTree() throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("a/one.txt", "12345")
    try cluster.writeUFS("a/b/two.txt", "1234567890")
    try cluster.writeUFS("c/three.bin", String(repeating: "x", count: 1000))
    try cluster.writeUFS("top.txt", "")
    try FileManager.default.createDirectory(at: cluster.ufs.appendingPathComponent("empty"), withIntermediateDirectories: true)
    try cluster.startMaster()
    defer { cluster.stopMaster() }

    let ls = try cluster.run(["fs", "ls", "-R", "/"])
    #expect(ls.status == 0, "\(ls.stdout) \(ls.stderr)")
    let listed = Set(ls.lines.compactMap { $0.split(separator: " ").last.map(String.init) })
    #expect(listed == ["/a", "/a/one.txt", "/a/b", "/a/b/two.txt", "/c", "/c/three.bin", "/top.txt", "/empty"])

    let count = try cluster.run(["fs", "count", "/"])
    #expect(count.status == 0)
    #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 2)
    let numbers = count.lines[1].split(separator: " ").compactMap { Int64($0) }
    // 4 files, 5 folders (the root counts itself, as in Alluxio), 1015 bytes.
    #expect(numbers == [4, 5, 1015])

    let missing = try cluster.run(["fs", "ls", "/nope"])
    #expect(missing.status == 255)
    #expect(missing.lines.last == "Path \"/nope\" does not exist.")

    let report = try cluster.run(["fsadmin", "report"])
    #expect(report.status == 0)
    let reportLines = report.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n")
    #expect(reportLines[1].trimmingCharacters(in: .whitespaces) == "Master Address: 127.0.0.1:\(cluster.rpcPort)")
    #expect(report.stdout.contains("Total Capacity: 0B"))

    let metrics = try cluster.run(["fsadmin", "report", "metrics"])
    #expect(metrics.lines.contains { $0.hasPrefix("Master.FilesCompleted") && $0.contains("Value: 4)") })

    let version = try cluster.run(["getConf", "goosefs.underfs.version"])
    #expect(version.status == 0)
    #expect(!version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }

  @Test func mountListShowsPathsWithoutSecrets() throws {
    let cluster = try LocalCluster(extraProperties: ["fs.cosn.userinfo.secretKey": "ROOTSECRETVALUE123"])
    let other = cluster.root.appendingPathComponent("other-ufs")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try cluster.startMaster()
    defer { cluster.stopMaster() }

    let mounted = try cluster.run([
      "fs", "mount", "--readonly", "--option", "fs.cosn.userinfo.secretId=SECRETID987654", "--option", "plain=visible",
      "/data", other.path,
    ])
    #expect(mounted.status == 0, "\(mounted.stdout)")
    let list = try cluster.run(["fs", "mount"])
    #expect(list.status == 0)
    #expect(list.lines.count == 2)
    let paths = Set(list.lines.map { String($0.split(separator: " ", omittingEmptySubsequences: true)[2]) })
    #expect(paths == ["/", "/data"])
    #expect(!list.stdout.contains("SECRETID987654"))
    #expect(!list.stdout.contains("ROOTSECRETVALUE123"))
    #expect(list.stdout.contains("plain=visible"))

    let conf = try cluster.run(["getConf"])
    #expect(!conf.stdout.contains("ROOTSECRETVALUE123"))
    let log = try String(contentsOf: cluster.logs.appendingPathComponent("master.log"), encoding: .utf8)
    #expect(!log.contains("ROOTSECRETVALUE123") && !log.contains("SECRETID987654"))

    #expect(try cluster.run(["fs", "unmount", "/data"]).status == 0)
    #expect(try cluster.run(["fs", "mount"]).lines.count == 1)
  }

  @Test func mutationsReachTheUnderStoreAndSurviveRestart() throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("keep/file.txt", "data")
    try cluster.startMaster()

    #expect(try cluster.run(["fs", "mkdir", "/made/deep"]).status == 0)
    #expect(cluster.ufsExists("made/deep"))
    #expect(try cluster.run(["fs", "mv", "/keep", "/moved"]).status == 0)
    #expect(cluster.ufsExists("moved/file.txt") && !cluster.ufsExists("keep"))
    #expect(try cluster.run(["fs", "touch", "/made/empty.txt"]).status == 0)
    #expect(cluster.ufsExists("made/empty.txt"))
    #expect(try cluster.run(["fs", "rm", "-R", "/made"]).status == 0)
    #expect(!cluster.ufsExists("made"))
    #expect(try cluster.run(["fs", "chmod", "700", "/moved"]).status == 0)
    #expect(try cluster.run(["fs", "pin", "/moved/file.txt"]).status == 0)
    let before = try cluster.run(["fs", "ls", "-R", "/"]).stdout

    cluster.stopMaster()
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let after = try cluster.run(["fs", "ls", "-R", "/"]).stdout
    #expect(after == before)
    #expect(try cluster.run(["fs", "test", "-d", "/moved"]).status == 0)
    #expect(try cluster.run(["fs", "test", "-e", "/made"]).status == 1)
  }

  @Test func metadataSyncFollowsTheInterval() throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("dir/first.txt", "1")
    try cluster.startMaster()
    defer { cluster.stopMaster() }

    #expect(try cluster.run(["fs", "ls", "/dir"]).lines.count == 1)
    try cluster.writeUFS("dir/second.txt", "2")
    // Default interval -1: loaded once, not re-synced.
    #expect(try cluster.run(["fs", "ls", "/dir"]).lines.count == 1)
    // Interval 0 for one command (-D after the subcommand, as Fluid does) re-syncs.
    let synced = try cluster.run(["fs", "-Dgoosefs.user.file.metadata.sync.interval=0", "ls", "/dir"])
    #expect(synced.lines.count == 2)
    try FileManager.default.removeItem(at: cluster.ufs.appendingPathComponent("dir/first.txt"))
    #expect(try cluster.run(["fs", "loadMetadata", "-F", "/dir"]).status == 0)
    #expect(try cluster.run(["fs", "ls", "/dir"]).lines.count == 1)
  }

  @Test func permissionsApplyToTheCallersIdentity() throws {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    #expect(try cluster.run(["fs", "mkdir", "/private"]).status == 0)
    #expect(try cluster.run(["fs", "chmod", "700", "/private"]).status == 0)
    let alice = ["GOOSEFS_USER_JAVA_OPTS": "-Dgoosefs.security.login.username=alice"]
    let denied = try cluster.run(["fs", "mkdir", "/private/mine"], extraEnvironment: alice)
    #expect(denied.status == 255)
    #expect(denied.stdout.contains("Permission denied"))
    #expect(try cluster.run(["fs", "ls", "/private"], extraEnvironment: alice).status == 255)
    #expect(try cluster.run(["fs", "chmod", "777", "/private"]).status == 0)
    #expect(try cluster.run(["fs", "mkdir", "/private/mine"], extraEnvironment: alice).status == 0)
    let listing = try cluster.run(["fs", "ls", "/private"])
    #expect(listing.lines.first?.contains("alice") == true)
    #expect(try cluster.run(["fs", "chown", "bob", "/private/mine"], extraEnvironment: alice).status == 255)
  }

  @Test func ttlDeletesExpiredPaths() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.master.ttl.checker.interval": "200ms"])
    try cluster.writeUFS("short/lived.txt", "bye")
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    #expect(try cluster.run(["fs", "setTtl", "/short", "1"]).status == 0)
    var gone = false
    for _ in 0..<100 where !gone {
      gone = try cluster.run(["fs", "test", "-e", "/short"]).status == 1
    }
    #expect(gone)
    #expect(!cluster.ufsExists("short"))
  }

  @Test func deadMasterFailsWithinTheRetryBudget() throws {
    let cluster = try LocalCluster()
    let start = Date()
    let result = try cluster.run(
      ["fs", "ls", "/"], extraEnvironment: ["GOOSEFS_USER_JAVA_OPTS": "-Dgoosefs.user.rpc.retry.max.duration=1s"])
    #expect(result.status == 255)
    #expect(result.stdout.contains("no GooseFS master answered"))
    // A bound, not a timing assertion: it must not hang for the default two minutes.
    #expect(Date().timeIntervalSince(start) < 60)
  }

  @Test func badConfigurationAndSecondMasterAreRefused() throws {
    let bad = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "12XB"])
    #expect(throws: (any Error).self) { try bad.startMaster() }
    #expect(bad.masterStderr.contains("goosefs.user.block.size.bytes.default"))

    let raft = try LocalCluster(extraProperties: [
      "goosefs.master.journal.type": "EMBEDDED",
      "goosefs.master.embedded.journal.addresses": ",m0:9202,m1:9202,m2:9202",
    ])
    #expect(throws: (any Error).self) { try raft.startMaster() }
    #expect(raft.masterStderr.contains("embedded.journal.addresses"))

    let first = try LocalCluster()
    try first.startMaster()
    defer { first.stopMaster() }
    let second = try LocalCluster()
    second.extraProperties["goosefs.master.journal.folder"] = first.journal.path
    #expect(throws: (any Error).self) { try second.startMaster() }
    #expect(second.masterStderr.contains("in use"))
  }

  @Test func checkConsistencyFindsAndRepairsUnderStoreChanges() throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("data/file.txt", "original")
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    #expect(try cluster.run(["fs", "touch", "/data/made.txt"]).status == 0)
    #expect(try cluster.run(["fs", "mv", "/data/made.txt", "/data/moved.txt"]).status == 0)
    #expect(try cluster.run(["fs", "chmod", "600", "/data/file.txt"]).status == 0)
    let clean = try cluster.run(["fs", "checkConsistency", "/"])
    #expect(clean.status == 0)
    #expect(clean.stdout.contains("is consistent"), "\(clean.stdout)")

    try cluster.writeUFS("data/file.txt", "changed and longer")
    let dirty = try cluster.run(["fs", "checkConsistency", "/"])
    #expect(dirty.stdout.contains("/data/file.txt"))
    #expect(try cluster.run(["fs", "checkConsistency", "-r", "/"]).status == 0)
    let size = try cluster.run(["fs", "ls", "/data/file.txt"]).lines.first?.split(separator: " ", omittingEmptySubsequences: true)[3]
    #expect(size == "18")
    #expect(try cluster.run(["fs", "checkConsistency", "/"]).stdout.contains("is consistent"))
  }

  @Test func formatWipesTheJournalAndStartsANewCluster() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.file.writetype.default": "MUST_CACHE"])
    try cluster.startMaster()
    #expect(try cluster.run(["fs", "mkdir", "/cache-only"]).status == 0)
    #expect(!cluster.ufsExists("cache-only"))
    // A running master holds the journal: format is refused rather than pulling it away.
    #expect(try cluster.run(["format"]).status != 0)
    cluster.stopMaster()
    #expect(try cluster.run(["formatJournal"]).status == 0)
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    #expect(try cluster.run(["fs", "test", "-e", "/cache-only"]).status == 1)
  }
}
