import Foundation
import GooseFSCore
import GooseFSTestSupport
import GooseFSUFS
import NIOCore
import Testing

/// The adapter against moto behind scripts/testing/fault_proxy.py: 500s, 503 SlowDown, resets,
/// truncated bodies and delays are absorbed by retries within the budget; past the budget the
/// call fails cleanly with `.unavailable` and no secret in the message.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ObjectStoreFaultTests {
  static func options(endpoint: String, attempts: Int = 10, duration: String = "2min") -> [String: String] {
    [
      "goosefs.underfs.s3.endpoint": endpoint,
      "goosefs.underfs.s3.disable.dns.buckets": "true",
      "s3a.accessKeyId": "testing",
      "s3a.secretKey": "fault-test-secret",
      "goosefs.underfs.object.retry.max.attempts": String(attempts),
      "goosefs.underfs.object.retry.max.duration": duration,
      // Ranged reads: every read is its own request, so faults hit reads too.
      "goosefs.underfs.object.read.strategy": "ranged",
    ]
  }

  @Test func listingsAndReadsSucceedThroughInjectedFaults() async throws {
    let moto = try MotoServer()
    try moto.boto3(
      """
      s3.create_bucket(Bucket='faulty')
      for d in range(5):
          for f in range(30):
              s3.put_object(Bucket='faulty', Key=f'd{d}/f{f}.bin', Body=bytes([(d * 31 + f + i) % 251 for i in range(4096)]))
      """)
    // About a third of requests meet a fault; the seed makes the run repeatable.
    let plan = """
      {"seed": 11, "rules": [
        {"probability": 0.06, "fault": "status", "status": 500},
        {"probability": 0.06, "fault": "slowdown"},
        {"probability": 0.06, "fault": "reset_before"},
        {"probability": 0.05, "fault": "truncate"},
        {"probability": 0.05, "fault": "reset_mid"},
        {"probability": 0.05, "fault": "delay", "ms": 100}]}
      """
    let proxy = try FaultProxy(upstream: moto.endpoint, plan: plan)
    let ufs = try UnderFileSystemRegistry.standard.create(uri: "s3://faulty/", options: Self.options(endpoint: proxy.endpoint))
    let top = try #require(try await ufs.list("s3://faulty/"))
    #expect(top.map(\.name).sorted() == ["d0", "d1", "d2", "d3", "d4"])
    for d in 0..<5 {
      let files = try #require(try await ufs.list("s3://faulty/d\(d)"))
      #expect(files.count == 30)
      for f in [0, 17, 29] {
        let stream = try await ufs.openRead("s3://faulty/d\(d)/f\(f).bin")
        let data = try await stream.read(offset: 1000, length: 2000)
        await stream.close()
        #expect(Array(data.readableBytesView) == (1000..<3000).map { UInt8((d * 31 + f + $0) % 251) })
      }
    }
  }

  @Test func pastTheBudgetFailsCleanly() async throws {
    let moto = try MotoServer()
    try moto.boto3("s3.create_bucket(Bucket='down')")
    let proxy = try FaultProxy(upstream: moto.endpoint, plan: #"{"rules": [{"probability": 1.0, "fault": "slowdown"}]}"#)
    let ufs = try UnderFileSystemRegistry.standard.create(
      uri: "s3://down/", options: Self.options(endpoint: proxy.endpoint, attempts: 4, duration: "20s"))
    do {
      _ = try await ufs.list("s3://down/")
      Issue.record("a store that always answers 503 must fail the listing")
    } catch let error as GooseFSError {
      #expect(error.code == .unavailable)
      #expect(!error.message.contains("fault-test-secret"))
    }
  }
}
