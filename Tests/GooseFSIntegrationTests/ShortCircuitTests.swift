import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A client on a worker's host reads the block files itself: by path when it can open the tier
/// folder, else with a descriptor the worker passes over its Unix socket. Either way the bytes
/// count as local reads in the cluster metrics.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ShortCircuitTests {
  static func localBytes(_ cluster: LocalCluster) throws -> Double {
    let metrics = try cluster.run(["fsadmin", "report", "metrics"])
    guard let line = metrics.lines.first(where: { $0.hasPrefix("Cluster.BytesReadLocal ") }),
      let start = line.range(of: "Value: "), let end = line.lastIndex(of: ")")
    else { return -1 }
    return WorkerClusterTests.bytes(String(line[start.upperBound..<end])) ?? -1
  }

  @Test func aClientOnTheWorkersHostReadsBlockFilesByPathOrByPassedDescriptor() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "4MB"])
    let size = 20 * WorkerClusterTests.mebibyte
    let expected = try WorkerClusterTests.writePattern(cluster.ufs.appendingPathComponent("f.bin"), size: size, seed: 7)
    try cluster.startMaster()
    // The socket outside the tier folder, so that a reader locked out of the folder still reaches it.
    let socket = cluster.root.appendingPathComponent("sc.sock").path
    let worker = try LocalWorker(
      index: 0,
      spec: WorkerSpec(host: "127.0.0.1", extraProperties: ["goosefs.worker.data.server.domain.socket.address": socket]),
      root: cluster.root)
    try cluster.startWorker(worker)
    #expect(try cluster.run(["fs", "load", "/f.bin"]).status == 0)
    #expect(try Self.localBytes(cluster) == 0)

    let out = cluster.root.appendingPathComponent("by-path.out")
    let cat = try ChildProcess.run(
      LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "cat", "/f.bin"],
      environment: cluster.environment, stdoutFile: out.path)
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(try WorkerClusterTests.md5(out) == expected)
    #expect(WorkerClusterTests.close(try Self.localBytes(cluster), size), "read by path counts as local")

    // A reader that cannot open the tier folder (another user here; another container under
    // Fluid) gets the descriptors over the worker's socket instead.
    guard getuid() == 0 else { return }
    chmod(worker.tierFolder.path, 0o700)
    let scratch = cluster.root.appendingPathComponent("nobody")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    chmod(cluster.root.path, 0o755)
    chmod(scratch.path, 0o777)
    var environment = cluster.environment
    environment["GOOSEFS_USER_JAVA_OPTS"] = "-Dgoosefs.logs.dir=\(scratch.path)"
    environment["GOOSEFS_HOME"] = scratch.path
    let passed = scratch.appendingPathComponent("by-descriptor.out")
    let asNobody = try ChildProcess.run(
      URL(fileURLWithPath: "/usr/sbin/runuser"),
      ["-u", "nobody", "--", LocalCluster.binaries.appendingPathComponent("goosefs").path, "fs", "cat", "/f.bin"],
      environment: environment, stdoutFile: passed.path)
    #expect(asNobody.status == 0, "\(asNobody.stderr)")
    #expect(try WorkerClusterTests.md5(passed) == expected)
    #expect(WorkerClusterTests.close(try Self.localBytes(cluster), 2 * size), "descriptor reads count as local")
  }
}
