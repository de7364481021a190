import Foundation
import GooseFSClient
import GooseFSCore
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// kill -9 of the master in the middle of a stream of mkdirs: after a restart on the same
/// journal, every acknowledged directory exists and nothing else is damaged.
@Suite(.serialized) struct CrashRecoveryTests {
  @Test func acknowledgedMkdirsSurviveKillDashNine() async throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("existing/file.txt", "untouched")
    try cluster.startMaster()
    let baseline = try cluster.run(["fs", "ls", "-R", "/existing"]).stdout

    let configuration = Configuration(properties: [
      "goosefs.master.hostname": "127.0.0.1",
      "goosefs.master.rpc.port": String(cluster.rpcPort),
      // Long enough for a busy CI machine; after the kill, writers stop issuing new calls.
      "goosefs.user.rpc.retry.max.duration": "10s",
      "goosefs.user.file.writetype.default": "MUST_CACHE",
    ])
    let acknowledged = AcknowledgedPaths()
    let killAfter = 400
    let masterPID = cluster.master!.processIdentifier
    try await MasterConnection.with(configuration, identity: ProcessIdentity.current()) { connection in
      let fs = GRPCFileSystem(connection: connection)
      // Four concurrent writers, so group commit and in-flight requests are both exercised.
      await withTaskGroup(of: Void.self) { group in
        for writer in 0..<4 {
          group.addTask {
            for index in 0..<250 where !acknowledged.killed {
              let path = "/stream/w\(writer)/d\(index)"
              do {
                _ = try await fs.createDirectory(path, recursive: true, allowExists: false, mode: nil)
              } catch {
                return  // the master is gone
              }
              let count = acknowledged.append(path)
              if count == killAfter {
                acknowledged.markKilled()
                kill(masterPID, SIGKILL)
              }
            }
          }
        }
      }
    }
    cluster.killMaster()
    let acks = acknowledged.paths
    #expect(acks.count >= killAfter)

    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let listing = try cluster.run(["fs", "ls", "-R", "/stream"])
    #expect(listing.status == 0)
    let present = Set(listing.lines.compactMap { $0.split(separator: " ").last.map(String.init) })
    let missing = acks.filter { !present.contains($0) }
    #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(5))")
    #expect(try cluster.run(["fs", "ls", "-R", "/existing"]).stdout == baseline)
    // The namespace still takes writes after recovery.
    #expect(try cluster.run(["fs", "mkdir", "/after-crash"]).status == 0)
  }
}

/// Paths the master acknowledged, appended from several writer tasks.
final class AcknowledgedPaths: Sendable {
  private let storage = Mutex<[String]>([])

  /// Returns how many were acknowledged so far.
  func append(_ path: String) -> Int {
    storage.withLock {
      $0.append(path)
      return $0.count
    }
  }

  var paths: [String] { storage.withLock { $0 } }

  private let killedFlag = Atomic<Bool>(false)

  func markKilled() { killedFlag.store(true, ordering: .relaxed) }

  var killed: Bool { killedFlag.load(ordering: .relaxed) }
}
