import Foundation
import GooseFSClient
import GooseFSCore
import Testing

/// getStatus latency and throughput over loopback against a real master process. Opt-in
/// (scripts/bench/master.sh and scripts/bench/metadata.sh set GOOSEFS_BENCH=1): it reports
/// numbers, it never gates CI. GOOSEFS_BENCH_CALLS (default 20,000) calls one at a time, then the
/// same number spread over GOOSEFS_BENCH_CONCURRENCY (default 16) callers on one channel.
@Suite struct MetadataLatencyBenchmark {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["GOOSEFS_BENCH"] == "1"))
  func getStatusLatencyAndThroughput() async throws {
    let cluster = try LocalCluster()
    for index in 0..<100 { try cluster.writeUFS("bench/f\(index)", "x") }
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let environment = ProcessInfo.processInfo.environment
    // GOOSEFS_BENCH_FRAMED=false measures the same calls over gRPC (the framed protocol is the default).
    let configuration = Configuration(properties: [
      "goosefs.master.hostname": "127.0.0.1", "goosefs.master.rpc.port": String(cluster.rpcPort),
      "goosefs.user.master.rpc.framed.enabled": environment["GOOSEFS_BENCH_FRAMED"] ?? "true",
    ])
    let calls = Int(environment["GOOSEFS_BENCH_CALLS"] ?? "") ?? 20_000
    let concurrency = max(1, Int(environment["GOOSEFS_BENCH_CONCURRENCY"] ?? "") ?? 16)
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
      // Concurrent: callers on the same channel give the throughput, and the latency under load.
      let perCaller = calls / concurrency
      let concurrentStart = clock.now
      var concurrentLatencies = try await withThrowingTaskGroup(of: [Duration].self, returning: [Duration].self) { group in
        for worker in 0..<concurrency {
          group.addTask {
            var mine: [Duration] = []
            mine.reserveCapacity(perCaller)
            for index in 0..<perCaller {
              let start = clock.now
              _ = try await fs.getStatus("/bench/f\((index + worker) % 100)", syncIntervalMs: -1)
              mine.append(clock.now - start)
            }
            return mine
          }
        }
        var all: [Duration] = []
        for try await mine in group { all.append(contentsOf: mine) }
        return all
      }
      let concurrentElapsed = clock.now - concurrentStart
      concurrentLatencies.sort()
      func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
        sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
      }
      func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
      }
      func perSecond(_ count: Int, _ elapsed: Duration) -> Int { Int(Double(count) / seconds(elapsed)) }
      func micros(_ duration: Duration) -> Int { Int((seconds(duration) * 1e6).rounded()) }
      let concurrentCalls = perCaller * concurrency
      print(
        "BENCH getStatus calls=\(calls) p50=\(percentile(latencies, 0.5)) p99=\(percentile(latencies, 0.99)) "
          + "sequential=\(perSecond(calls, sequentialElapsed))/s "
          + "concurrent\(concurrency)=\(perSecond(concurrentCalls, concurrentElapsed))/s")
      print(
        "BENCH getStatus-us calls=\(calls) c1_p50_us=\(micros(percentile(latencies, 0.5))) "
          + "c1_p99_us=\(micros(percentile(latencies, 0.99))) c1_rate=\(perSecond(calls, sequentialElapsed)) "
          + "concurrency=\(concurrency) cN_p50_us=\(micros(percentile(concurrentLatencies, 0.5))) "
          + "cN_p99_us=\(micros(percentile(concurrentLatencies, 0.99))) "
          + "cN_rate=\(perSecond(concurrentCalls, concurrentElapsed))")
    }
  }
}
