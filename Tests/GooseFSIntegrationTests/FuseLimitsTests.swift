import Foundation
import GooseFSTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The daemon's request limit under more concurrent requests than it allows, and FUSE
/// interrupts cancelling the work of a request whose caller was killed.
@Suite(.serialized, .timeLimit(.minutes(10))) struct FuseLimitsTests {
  static var canMount: Bool { FuseLifecycleTests.canMount }

  /// What the owner of TCP `port` has not taken yet: connections in its listening socket's
  /// accept queue and bytes received on its established connections (the `rx_queue` column of
  /// /proc/net/tcp for both). A stopped server's requests wait there.
  static func untaken(byLoopbackPort port: Int) -> Int {
    let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
    var total = 0
    for line in table.split(separator: "\n").dropFirst() {
      // sl local_address rem_address st tx_queue:rx_queue …; addresses HEXIP:HEXPORT, state
      // 01 established, 0A listening.
      let fields = line.split(separator: " ")
      guard fields.count > 4, fields[3] == "01" || fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
        Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port,
        let queues = fields[4].split(separator: ":").last, let untaken = Int(queues, radix: 16)
      else { continue }
      total += untaken
    }
    return total
  }

  /// "at most N" from the line the daemon logs when it stops.
  static func highWater(_ log: String) -> Int? {
    guard let line = log.split(separator: "\n").last(where: { $0.contains("FUSE requests worked on at once") }),
      let range = line.range(of: "at most ")
    else { return nil }
    return Int(line[range.upperBound...].prefix { $0.isNumber })
  }

  @Test(.enabled(if: canMount)) func moreRequestsThanTheLimitAllCompleteAndNeverExceedIt() throws {
    let cluster = try LocalCluster()
    let files = 16
    let payload = String(repeating: "limited bytes ", count: 20_000)
    for index in 0..<files { try cluster.writeUFS("load/f\(index).txt", payload) }
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(
      options: "allow_other,direct_io,attr_timeout=0,entry_timeout=0",
      properties: ["goosefs.fuse.requests.max": "4", "goosefs.fuse.handle.queue.max": "2"])

    // 32 threads, each statting and reading every file: far more requests at once than 4.
    let failures = Mutex<[String]>([])
    let done = DispatchGroup()
    for thread in 0..<32 {
      done.enter()
      Thread.detachNewThread {
        defer { done.leave() }
        for round in 0..<files {
          let path = mount.path + "/load/f\((thread + round) % files).txt"
          var info = stat()
          guard stat(path, &info) == 0, info.st_size == payload.utf8.count else {
            failures.withLock { $0.append("stat \(path): errno \(errno)") }
            continue
          }
          guard let data = FileManager.default.contents(atPath: path), data.count == payload.utf8.count else {
            failures.withLock { $0.append("read \(path)") }
            continue
          }
        }
      }
    }
    #expect(done.wait(timeout: .now() + 300) == .success, "the readers did not finish")
    #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(5) })\n\(mount.log.suffix(2000))")
    // A crash's message is near the top of the log, its backtrace below.
    #expect(mount.terminate() == 0, "\(mount.log.prefix(4000))")
    let most = Self.highWater(mount.log)
    #expect(most != nil && most! <= 4 && most! >= 1, "\(mount.log.suffix(2000))")
    print("FUSE load: at most \(most ?? -1) requests worked on at once with goosefs.fuse.requests.max=4")
  }

  @Test(.enabled(if: canMount)) func killingAReaderBlockedOnAFrozenWorkerCancelsItsRead() throws {
    // A long data timeout: the read can end early only through the interrupt.
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.user.streaming.data.timeout": "120s", "goosefs.user.rpc.retry.max.duration": "120s",
    ])
    try cluster.writeUFS("cold.txt", String(repeating: "cold bytes ", count: 100_000))
    try cluster.startMaster()
    let worker = try cluster.startLocalWorker()
    let mount = try cluster.mountFuse(options: "allow_other,direct_io")
    #expect(FileManager.default.fileExists(atPath: mount.path + "/cold.txt"))
    let pid = try #require(worker.process?.processIdentifier)
    kill(pid, SIGSTOP)
    defer { kill(pid, SIGCONT) }

    let reader = Process()
    reader.executableURL = URL(fileURLWithPath: "/bin/cat")
    reader.arguments = [mount.path + "/cold.txt"]
    reader.standardOutput = FileHandle.nullDevice
    try reader.run()
    // Bounded wait until the reader sleeps in the kernel waiting for the daemon's answer.
    var blocked = false
    for _ in 0..<400 where !blocked {
      let wchan = (try? String(contentsOfFile: "/proc/\(reader.processIdentifier)/wchan", encoding: .utf8)) ?? ""
      blocked = wchan.contains("request_wait_answer") || wchan.contains("fuse")
      if !blocked { usleep(25_000) }
    }
    #expect(blocked, "the reader never blocked in FUSE")
    // A request the daemon has not read yet dies with the reader (the kernel drops it and sends
    // no interrupt): kill only once the daemon works on it, which is when it has turned to the
    // frozen worker (a connection or bytes the stopped worker has not taken; bounded wait).
    var asked = false
    for _ in 0..<400 where !asked {
      asked = Self.untaken(byLoopbackPort: worker.rpcPort) > 0
      if !asked { usleep(25_000) }
    }
    #expect(asked, "the daemon never turned to the frozen worker")
    let killed = Date()
    kill(reader.processIdentifier, SIGKILL)
    reader.waitUntilExit()
    let took = Date().timeIntervalSince(killed)
    #expect(took < 20, "the killed reader waited \(took) s for its read (data timeout 120 s)")
    // The kernel sends the interrupt as the reader dies and the daemon logs once the cancelled
    // task has answered: that line may come a little after the reader is gone (bounded wait).
    let deadline = Date(timeIntervalSinceNow: 20)
    while !mount.log.contains("interrupted: its work was cancelled"), Date() < deadline { usleep(50_000) }
    #expect(mount.log.contains("interrupted: its work was cancelled"), "\(mount.log.suffix(2000))")
  }
}
