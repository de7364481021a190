import Foundation
import GooseFSClient
import GooseFSCore
import Testing

/// getStatus latency and throughput over loopback against a real master process. Opt-in
/// (scripts/bench/master-rpc.sh sets GOOSEFS_BENCH=1): it reports numbers, it never gates CI.
@Suite struct MetadataLatencyBenchmark {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["GOOSEFS_BENCH"] == "1"))
  func getStatusLatencyAndThroughput() async throws {
    let cluster = try LocalCluster()
    for index in 0..<100 { try cluster.writeUFS("bench/f\(index)", "x") }
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let configuration = Configuration(properties: [
      "goosefs.master.hostname": "127.0.0.1", "goosefs.master.rpc.port": String(cluster.rpcPort),
    ])
    let calls = Int(ProcessInfo.processInfo.environment["GOOSEFS_BENCH_CALLS"] ?? "") ?? 20_000
    try await MasterConnection.with(configuration, identity: ProcessIdentity.current()) { connection in
      let fs = GRPCFileSystem(connection: connection)
      _ = try await fs.listStatus("/bench")
      let clock = ContinuousClock()
      // Sequential: one call at a time gives the latency distribution.
      var latencies: [Duration] = []
      latencies.reserveCapacity(calls)
      let sequentialStart = clock.now
      for index in 0..<calls {
        let start = clock.now
        _ = try await fs.getStatus("/bench/f\(index % 100)", syncIntervalMs: -1)
        latencies.append(clock.now - start)
      }
      let sequentialElapsed = clock.now - sequentialStart
      latencies.sort()
      func percentile(_ p: Double) -> Duration { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
      // Concurrent: 16 callers on the same channel give the throughput.
      let concurrentStart = clock.now
      try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<16 {
          group.addTask {
            for index in 0..<(calls / 16) {
              _ = try await fs.getStatus("/bench/f\((index + worker) % 100)", syncIntervalMs: -1)
            }
          }
        }
        try await group.waitForAll()
      }
      let concurrentElapsed = clock.now - concurrentStart
      func perSecond(_ count: Int, _ elapsed: Duration) -> Int {
        Int(Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
      }
      print(
        "BENCH getStatus calls=\(calls) p50=\(percentile(0.5)) p99=\(percentile(0.99)) "
          + "sequential=\(perSecond(calls, sequentialElapsed))/s concurrent16=\(perSecond(calls / 16 * 16, concurrentElapsed))/s")
    }
  }
}
