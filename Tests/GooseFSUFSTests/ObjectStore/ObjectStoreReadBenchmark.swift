import Foundation
import GooseFSCore
import GooseFSTestSupport
import GooseFSUFS
import Testing

/// Throughput of the read strategies against moto, next to curl doing the same (one GET, and
/// 8 parallel ranged GETs). Opt-in: `GOOSEFS_OBJSTORE_BENCH=<MiB>` (e.g. 512); prints numbers
/// for docs/object-stores.md and asserts only that the bytes arrived.
@Suite("Object store read benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["GOOSEFS_OBJSTORE_BENCH"] != nil))
struct ObjectStoreReadBenchmark {
  @Test func readStrategiesAgainstCurl() async throws {
    let mebibytes = Int(ProcessInfo.processInfo.environment["GOOSEFS_OBJSTORE_BENCH"] ?? "") ?? 512
    let size = mebibytes << 20
    let moto = try SharedMoto.server()
    let bucket = SharedMoto.freshBucketName()
    try moto.boto3(
      """
      s3.create_bucket(Bucket='\(bucket)')
      s3.put_object(Bucket='\(bucket)', Key='big', Body=b'\\x5a' * \(size))
      """)
    try SharedMoto.putSmallObjects(bucket: bucket, keys: "flat/f{i}", count: 2000, size: "1")
    let url = "\(moto.endpoint)/\(bucket)/big"
    func rate(_ duration: Duration) -> String {
      let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
      return String(format: "%.2f GB/s (%.2f s)", Double(size) / seconds / 1e9, seconds)
    }
    let clock = ContinuousClock()
    let single = try clock.measure { _ = try MotoServer.python(Self.curl([url])) }
    print("curl, one GET: \(rate(single))")
    let part = size / 8
    let ranged = try clock.measure {
      _ = try MotoServer.python(Self.curl((0..<8).map { "-r \($0 * part)-\(($0 + 1) * part - 1) \(url)" }))
    }
    print("curl, 8 parallel ranged GETs: \(rate(ranged))")

    for strategy in ObjectStoreTuning.ReadStrategy.allCases {
      for readSize in strategy == .streaming ? [1 << 20, 8 << 20] : [8 << 20] {
        let ufs = try UnderFileSystemRegistry.standard.create(
          uri: "s3://\(bucket)/",
          options: SharedMoto.s3Options(moto, extra: ["goosefs.underfs.object.read.strategy": strategy.rawValue]))
        let stream = try await ufs.openRead("s3://\(bucket)/big")
        var total = 0
        let elapsed = try await clock.measure {
          var offset = 0
          while offset < size {
            let buffer = try await stream.read(offset: Int64(offset), length: readSize)
            offset += buffer.readableBytes
            total += buffer.readableBytes
          }
        }
        await stream.close()
        #expect(total == size)
        print("adapter, \(strategy.rawValue), \(readSize >> 20) MiB reads: \(rate(elapsed))")
      }
    }
    let ufs = try UnderFileSystemRegistry.standard.create(uri: "s3://\(bucket)/", options: SharedMoto.s3Options(moto))
    var count = 0
    let listing = try await clock.measure { count = try await ufs.list("s3://\(bucket)/flat")?.count ?? 0 }
    #expect(count == 2000)
    print("adapter, list of 2,000 objects (2 pages): \(listing)")
  }

  /// A Python script that runs the curl commands at once and waits for all.
  static func curl(_ arguments: [String]) -> String {
    // Any SigV4-looking Authorization header: moto refuses anonymous reads but checks nothing.
    let authorization = "-H 'Authorization: AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0'"
    let commands = arguments.map { "\"curl -sf -o /dev/null \(authorization) \($0)\"" }.joined(separator: ", ")
    return """
      import subprocess
      procs = [subprocess.Popen(c, shell=True) for c in [\(commands)]]
      assert all(p.wait() == 0 for p in procs)
      """
  }
}
