import Foundation
import FuseTestKit
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The mount through plain syscalls and real tools: a master, a worker on this host and
/// `goosefs-fuse` as separate processes, the kernel in between.
@Suite(.serialized, .timeLimit(.minutes(10))) struct FusePosixTests {
  static var canMount: Bool { FuseLifecycleTests.canMount }

  /// A cluster with one local worker, mounted with `options`; user/group translation on (as Fluid
  /// sets it) so that ownership shows as local users.
  static func mounted(options: String = "allow_other", memQuota: String = "1GB") throws -> (LocalCluster, FuseMount) {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.file.writetype.default": "CACHE_THROUGH"])
    chmod(cluster.root.path, 0o755)
    try cluster.startMaster()
    try cluster.startLocalWorker(memQuota: memQuota)
    let mount = try cluster.mountFuse(
      options: options, properties: ["goosefs.fuse.user.group.translation.enabled": "true"])
    return (cluster, mount)
  }

  static func expectPasses(_ mount: FuseMount, _ body: () throws -> Void) {
    do {
      try body()
    } catch let failure as CheckFailure {
      Issue.record("\(failure)\n--- daemon log (tail) ---\n\(mount.log.suffix(3000))")
    } catch {
      Issue.record("\(error)\n--- daemon log (tail) ---\n\(mount.log.suffix(3000))")
    }
  }

  @Test(.enabled(if: canMount)) func filesAndNamespaceBehaveAsPosixSays() throws {
    let (cluster, mount) = try Self.mounted()
    defer { withExtendedLifetime(cluster) {} }
    Self.expectPasses(mount) {
      try PosixChecks.fileContents(root: mount.path)
      try PosixChecks.namespace(root: mount.path, expectExchangeUnsupported: true)
      try PosixChecks.unlinkedOpenFile(root: mount.path)
      // Modification times are the master's: its CLI shows what the mount set.
      let (folder, expected) = try PosixChecks.modificationTimes(root: mount.path)
      for (path, milliseconds) in expected.sorted(by: { $0.key < $1.key }) {
        let goosefsPath = String(path.dropFirst(mount.path.count))
        let shown = try cluster.run(["fs", "stat", "-f", "%Y", goosefsPath])
        #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(milliseconds), "\(goosefsPath): \(shown)")
      }
      try FileTree.remove(folder)
    }
    Self.expectPasses(mount) {
      let stats = try PosixChecks.concurrentReadersAndWriter(root: mount.path)
      print("two readers and a writer: \(stats)")
    }
  }

  @Test(.enabled(if: canMount)) func randomOperationsMatchALocalFolder() throws {
    let (cluster, mount) = try Self.mounted(options: "allow_other,direct_io")
    let reference = cluster.root.appendingPathComponent("reference").path
    try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: true)
    let tester = RandomOperationTester(mount: mount.path, reference: reference, seed: 0x5EED_F00D)
    let report = tester.run(operations: 3000)
    print("random operations: \(report.operationsRun) in \(report.seconds) s, \(report.bytesWritten) bytes")
    #expect(report.operationsRun == 3000)
    #expect(report.passed, "\(report)\n--- daemon log (tail) ---\n\(mount.log.suffix(3000))")
  }

  @Test(.enabled(if: canMount)) func aHundredThousandEntryDirectoryListsCompletely() throws {
    let cluster = try LocalCluster()
    // Seeded straight into the under store: creating them through the mount is the slow path.
    let folder = cluster.ufs.appendingPathComponent("many")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for index in 0..<100_000 {
      let fd = open(folder.appendingPathComponent("f\(index)").path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
      #expect(fd >= 0)
      close(fd)
    }
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(properties: ["goosefs.user.metadata.cache.enabled": "true"])
    let started = Date()
    let listed = try CommandRunner.run("/bin/ls", ["-l", mount.path + "/many"], timeout: .seconds(300))
    print("ls -l of 100k entries (first, with metadata load): \(Date().timeIntervalSince(started)) s")
    #expect(listed.succeeded, "\(listed)")
    let names = listed.stdout.split(separator: "\n").filter { $0.hasPrefix("-") }
    #expect(names.count == 100_000)
    Self.expectPasses(mount) {
      try PosixChecks.readdirSeeks(directory: mount.path + "/many", expectedCount: 100_000)
      let stats = try PosixChecks.readdir(root: mount.path, count: 500)
      print("readdir check: \(stats)")
    }
  }

  @Test(.enabled(if: canMount)) func aTwoGibibyteFileRoundTripsBitForBit() throws {
    let (cluster, mount) = try Self.mounted(options: "allow_other", memQuota: "3GB")
    defer { withExtendedLifetime(cluster) {} }
    Self.expectPasses(mount) {
      let stats = try PosixChecks.largeFile(root: mount.path, size: 2 << 30)
      print("2 GiB file: \(stats)")
    }
  }

  @Test(.enabled(if: canMount)) func tarAndSqliteWorkOnTheMount() throws {
    let (cluster, mount) = try Self.mounted()
    defer { withExtendedLifetime(cluster) {} }
    Self.expectPasses(mount) {
      // tar restores modification times (utimensat after close): compared too.
      let tar = try ToolChecks.tarRoundTrip(root: mount.path, compareModificationTimes: true)
      print("tar: \(tar)")
      for mode in ["DELETE", "WAL"] {
        print("sqlite \(mode): \(try ToolChecks.sqlite(root: mount.path, journalMode: mode))")
      }
    }
  }

  @Test(.enabled(if: canMount)) func permissionsAreEnforcedForOtherUsers() throws {
    let (cluster, mount) = try Self.mounted()
    defer { withExtendedLifetime(cluster) {} }
    Self.expectPasses(mount) {
      try PermissionChecks.runAll(root: mount.path)
    }
  }
}
