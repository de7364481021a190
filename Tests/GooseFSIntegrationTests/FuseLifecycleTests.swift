import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The mount's life as Fluid and Kubernetes drive it: the mount type the CSI looks for, SIGTERM,
/// a daemon killed with -9, and a master that goes away under a mounted file system.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FuseLifecycleTests {
  static var canMount: Bool { getuid() == 0 && access("/dev/fuse", R_OK | W_OK) == 0 }

  @Test(.enabled(if: canMount)) func theMountIsFuseGoosefsFuseAndSigtermUnmountsIt() throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("data/hello.txt", "hello from the under store\n")
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(options: "rw,direct_io,allow_other,nonempty,max_readahead=0,attr_timeout=7200")
    #expect(mount.mountType == "fuse.goosefs-fuse")
    #expect(try String(contentsOfFile: mount.path + "/data/hello.txt", encoding: .utf8) == "hello from the under store\n")
    #expect(mount.log.contains("nonempty: ignored"))

    let stat = try cluster.runFuseCommand(["stat"])
    #expect(stat.lines.contains { $0.hasSuffix("\t\(mount.path)\t/") }, "\(stat.stdout)")

    #expect(mount.terminate() == 0, "\(mount.log)")
    #expect(mount.mountType == nil)
  }

  @Test(.enabled(if: canMount)) func aKilledDaemonsMountIsClearedByUnmountAndTheNextMountWorks() throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("a.txt", "A")
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let first = try cluster.mountFuse()
    first.kill9()
    var info = stat()
    #expect(stat(first.path + "/a.txt", &info) != 0 && errno == ENOTCONN)
    #expect(first.mountType == "fuse.goosefs-fuse")

    let unmount = try cluster.runFuseCommand(["unmount", first.path])
    #expect(unmount.status == 0, "\(unmount.stderr)")
    #expect(first.mountType == nil)

    let second = try cluster.mountFuse(at: first.mountPoint)
    #expect(try String(contentsOfFile: second.path + "/a.txt", encoding: .utf8) == "A")

    // A mount left by a killed daemon is also cleared by the next mount itself.
    second.kill9()
    let third = try cluster.mountFuse(at: first.mountPoint)
    #expect(try String(contentsOfFile: third.path + "/a.txt", encoding: .utf8) == "A")
  }

  @Test(.enabled(if: canMount)) func anUnreachableMasterGivesEIOInsteadOfHanging() throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.rpc.retry.max.duration": "2s"])
    try cluster.writeUFS("present.txt", "x")
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(options: "allow_other,attr_timeout=0,entry_timeout=0")
    #expect(FileManager.default.fileExists(atPath: mount.path + "/present.txt"))
    cluster.killMaster()
    let started = Date()
    var info = stat()
    let result = stat(mount.path + "/other.txt", &info)
    let code = errno
    #expect(result != 0 && code == EIO, "stat gave \(result) errno \(code)")
    #expect(Date().timeIntervalSince(started) < 30)
  }

  @Test(.enabled(if: canMount)) func aWorkerThatStopsAnsweringGivesEIOAfterTheDataTimeout() throws {
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.user.streaming.data.timeout": "2s", "goosefs.user.rpc.retry.max.duration": "2s",
    ])
    let payload = String(repeating: "cold bytes ", count: 100_000)
    try cluster.writeUFS("cold.txt", payload)
    try cluster.startMaster()
    let worker = try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(options: "allow_other,direct_io")
    // Not cached yet: the read must go through the worker, which is frozen (not dead: its socket
    // still accepts, nothing answers).
    #expect(FileManager.default.fileExists(atPath: mount.path + "/cold.txt"))
    let pid = try #require(worker.process?.processIdentifier)
    kill(pid, SIGSTOP)
    defer { kill(pid, SIGCONT) }
    let started = Date()
    let fd = open(mount.path + "/cold.txt", O_RDONLY)
    #expect(fd >= 0)
    var buffer = [UInt8](repeating: 0, count: 65536)
    let result = read(fd, &buffer, buffer.count)
    let code = errno
    close(fd)
    #expect(result < 0 && code == EIO, "read gave \(result) errno \(code)")
    #expect(Date().timeIntervalSince(started) < 30)
  }
}
