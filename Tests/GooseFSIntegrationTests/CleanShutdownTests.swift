import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// SIGTERM is how Kubernetes (and Fluid) stop every GooseFS container: each process exits 0 and
/// logs an ordinary stop, never a `critical` line that alerting would page on.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CleanShutdownTests {
  static func log(_ cluster: LocalCluster, _ name: String) -> String {
    (try? String(contentsOf: cluster.logs.appendingPathComponent(name), encoding: .utf8)) ?? ""
  }

  @Test func sigtermStopsTheMasterAndAWorkerCleanly() throws {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    let worker = try cluster.startWorker(LocalWorker(index: 0, spec: WorkerSpec(host: "127.0.0.2"), root: cluster.root))
    #expect(try cluster.run(["fs", "ls", "/"]).status == 0)

    let workerProcess = try #require(worker.process)
    workerProcess.terminate()
    workerProcess.waitUntilExit()
    #expect(workerProcess.terminationStatus == 0)
    let workerLog = Self.log(cluster, "worker.log")
    // The worker's own line: its run treats the cancellation as the normal end.
    #expect(workerLog.contains("GooseFS worker stopped."), "\(workerLog)")
    #expect(!workerLog.lowercased().contains("critical"), "\(workerLog)")

    let master = try #require(cluster.master)
    cluster.stopMaster()
    #expect(master.terminationStatus == 0)
    let masterLog = Self.log(cluster, "master.log")
    #expect(masterLog.contains("GooseFS master stopped."), "\(masterLog)")
    #expect(!masterLog.lowercased().contains("critical"), "\(masterLog)")
  }

  @Test(.enabled(if: FuseLifecycleTests.canMount)) func sigtermStopsTheFuseDaemonCleanly() throws {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mount = try cluster.mountFuse()
    #expect(mount.terminate() == 0, "\(mount.log)")
    #expect(!mount.log.lowercased().contains("critical"), "\(mount.log)")
  }

  @Test func aMasterThatCannotStartStillLogsCritical() throws {
    // The journal folder is a file: a real failure, which must stay loud and exit non-zero.
    let cluster = try LocalCluster()
    try Data("not a folder".utf8).write(to: cluster.journal)
    #expect(throws: LocalCluster.ClusterError.self) { try cluster.startMaster() }
    let master = try #require(cluster.master)
    master.waitUntilExit()
    #expect(master.terminationStatus != 0)
    #expect(Self.log(cluster, "master.log").lowercased().contains("critical"))
  }
}
