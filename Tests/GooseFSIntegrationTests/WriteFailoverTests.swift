import Foundation
import GooseFSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What a worker killed with -9 in the middle of a write does to each write type
/// (docs/write-types.md), through a FUSE mount: the test writes the file itself and kills a worker
/// when half of it is written.
/// - Cache types (MUST_CACHE, ASYNC_THROUGH): the block being written is sent again to the other
///   worker; every write and the close succeed, and once the victim is back (with the blocks it had
///   committed) the file reads back exactly; ASYNC_THROUGH then reaches the under store.
/// - Through types (CACHE_THROUGH, THROUGH): the one stream dies with the worker (it is not
///   retried: the client would have to keep the whole file); a write or the close fails with EIO
///   and neither the namespace nor the under store keeps a partial file.
@Suite(.serialized, .timeLimit(.minutes(10))) struct WriteFailoverTests {
  static let fileSize = 48 << 20

  @Test(arguments: ["MUST_CACHE", "ASYNC_THROUGH", "CACHE_THROUGH", "THROUGH"])
  func aWorkerKilledMidWrite(writeType: String) throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "8MB"])
    try cluster.startMaster()
    let workers = try cluster.startRemoteWorkers(2, memQuota: "256MB")
    let victim = workers[0]
    // The mount shares the victim's host name: its blocks and through-streams go to the victim
    // first (local first), so the kill always hits the write.
    let mount = try cluster.mountFuse(properties: [
      "goosefs.user.file.writetype.default": writeType, "goosefs.user.hostname": victim.spec.host,
    ])
    defer { _ = mount.terminate() }
    let source = cluster.root.appendingPathComponent("source.bin")
    let expected = try WorkerClusterTests.writePattern(source, size: Self.fileSize, seed: 77)
    let bytes = try Data(contentsOf: source)

    let target = mount.mountPoint.appendingPathComponent("written.bin").path
    let fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    try #require(fd >= 0, "create: errno \(errno)")
    var failure: Int32 = 0
    var offset = 0
    while offset < bytes.count {
      if offset >= bytes.count / 2, victim.process != nil { cluster.killWorker(victim) }
      let count = min(1 << 20, bytes.count - offset)
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count) }
      if written < 0 {
        failure = errno
        break
      }
      offset += written
    }
    if close(fd) != 0, failure == 0 { failure = errno }

    try cluster.startWorker(victim)
    try cluster.waitForLiveWorkers(atLeast: 2)
    let readBack = cluster.root.appendingPathComponent("read.bin")
    let catStatus = try cluster.runToFile(["fs", "cat", "/written.bin"], output: readBack)
    switch writeType {
    case "MUST_CACHE", "ASYNC_THROUGH":
      #expect(failure == 0, "\(writeType): errno \(failure); daemon log: \(mount.log.suffix(3000))")
      #expect(catStatus == 0)
      #expect(try WorkerClusterTests.md5(readBack) == expected)
      if writeType == "ASYNC_THROUGH" {
        try WorkerClusterTests.eventually("persisted after the kill") {
          let stat = try cluster.run(["fs", "stat", "/written.bin"]).stdout
          return stat.contains("PERSISTED") && !stat.contains("TO_BE_PERSISTED")
        }
        #expect(try WorkerClusterTests.md5(cluster.ufs.appendingPathComponent("written.bin")) == expected)
      }
    default:
      #expect(failure == EIO, "\(writeType): errno \(failure)")
      #expect(!cluster.ufsExists("written.bin"), "no partial object in the under store")
      #expect(try cluster.run(["fs", "ls", "/written.bin"]).status != 0, "no partial file in the namespace")
    }
  }

  /// A failed commit is reported again by every later fsync and by the close: the writes it
  /// lost are not committed by anything that follows. (A writer that forgot the failure made
  /// the second fsync and the close return 0 for data that was never stored.)
  @Test func aFailedCommitFailsEveryLaterFsyncAndTheClose() throws {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    let workers = try cluster.startRemoteWorkers(2, memQuota: "256MB")
    let victim = workers[0]
    let mount = try cluster.mountFuse(properties: [
      "goosefs.user.file.writetype.default": "THROUGH", "goosefs.user.hostname": victim.spec.host,
    ])
    defer { _ = mount.terminate() }
    let fd = open(mount.mountPoint.appendingPathComponent("lost.bin").path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    try #require(fd >= 0, "create: errno \(errno)")
    let chunk = [UInt8](repeating: 7, count: 1 << 20)
    #expect(chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == chunk.count)
    // The through stream dies with the worker it goes through.
    cluster.killWorker(victim)
    #expect(fsync(fd) != 0 && errno == EIO, "the commit of a stream whose worker died")
    #expect(fsync(fd) != 0 && errno == EIO, "a second fsync after the failed commit")
    #expect(close(fd) != 0 && errno == EIO, "the close after the failed commit")
    #expect(!cluster.ufsExists("lost.bin"), "no partial object in the under store")
  }
}
