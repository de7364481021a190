import Foundation
import GooseFSTestSupport
import Testing

/// Issue 4's acceptance over a real S3 endpoint (moto): master + 2 workers with a MEM quota,
/// the bucket as the root under store. Secrets live only in the master's configuration; workers
/// get them from the master.
@Suite(.serialized, .timeLimit(.minutes(15))) struct WorkerObjectStoreAcceptanceTests {
  static let mebibyte = WorkerClusterTests.mebibyte

  @Test func catFreeDistributedLoadAndRoundTripsOverAMotoBucket() throws {
    let moto = try MotoServer()
    let objectSize = 300 * 1_000_000
    // Seeded straight into the bucket (not through GooseFS): a 300 MB object and a few small ones.
    let objectMD5 = try moto.boto3(
      """
      import hashlib, random
      s3.create_bucket(Bucket='acceptance')
      r = random.Random(4)
      data = b''.join(r.randbytes(1 << 20) for _ in range(\(objectSize) >> 20)) + r.randbytes(\(objectSize) % (1 << 20))
      s3.put_object(Bucket='acceptance', Key='big/object.bin', Body=data)
      for i in range(5):
          s3.put_object(Bucket='acceptance', Key=f'small/s{i}.txt', Body=(b'%d' % i) * (1000 + i))
      print(hashlib.md5(data).hexdigest())
      """
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let bucketBytes = objectSize + (0..<5).reduce(0) { $0 + 1000 + $1 }
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.master.mount.table.root.ufs": "s3://acceptance/",
      "goosefs.underfs.s3.endpoint": moto.endpoint,
      "goosefs.underfs.s3.disable.dns.buckets": "true",
      "s3a.accessKeyId": "testing",
      "s3a.secretKey": "testing-secret-value",
    ])
    try cluster.startMaster()
    let workers = try (0..<2).map {
      try LocalWorker(index: $0, spec: WorkerSpec(host: "127.0.0.\($0 + 2)", memQuota: "1600MB"), root: cluster.root)
    }
    for worker in workers { try cluster.startWorker(worker) }
    try cluster.waitForLiveWorkers(atLeast: 2)

    let out = cluster.root.appendingPathComponent("object.out")
    let cat = try ChildProcess.run(
      LocalCluster.binaries.appendingPathComponent("goosefs"), ["fs", "cat", "/big/object.bin"],
      environment: cluster.environment, stdoutFile: out.path)
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(try WorkerClusterTests.md5(out) == objectMD5)
    #expect(try cluster.summary()["Live Workers"] == "2")
    try WorkerClusterTests.eventually("Used Capacity equals what was cached") {
      WorkerClusterTests.close(try WorkerClusterTests.usedBytes(cluster), objectSize)
    }

    let free = try cluster.run(["fs", "free", "-f", "/"])
    #expect(free.status == 0, "\(free.stdout)")
    #expect(try cluster.summary()["Used Capacity"] == "0B", "free returns once the workers dropped the blocks")

    let load = try cluster.run(["fs", "distributedLoad", "--replication", "1", "/"])
    #expect(load.status == 0, "\(load.stdout.suffix(400))")
    // The usage arrives with the block commit (numbered, so an older heartbeat cannot undo it);
    // waiting covers a commit that failed, which the next heartbeat makes up for.
    try WorkerClusterTests.eventually("the whole bucket is cached") {
      WorkerClusterTests.close(try WorkerClusterTests.usedBytes(cluster), bucketBytes)
    }

    // 1 GB written through GooseFS and read back, cache-only and cache-through.
    let local = cluster.root.appendingPathComponent("gig.bin")
    let expected = try WorkerClusterTests.writePattern(local, size: 1_000_000_000, seed: 5)
    try cluster.run(["fs", "free", "-f", "/"])
    for (writeType, path) in [("MUST_CACHE", "/written/must-cache.bin"), ("CACHE_THROUGH", "/written/cache-through.bin")] {
      let properties = "-Dgoosefs.user.file.writetype.default=\(writeType)"
      let copyIn = try cluster.run(
        ["fs", "copyFromLocal", local.path, path], extraEnvironment: ["GOOSEFS_USER_JAVA_OPTS": properties])
      #expect(copyIn.status == 0, "\(writeType): \(copyIn.stdout) \(copyIn.stderr)")
      let back = cluster.root.appendingPathComponent("back.bin")
      let copyOut = try cluster.run(["fs", "copyToLocal", path, back.path])
      #expect(copyOut.status == 0, "\(writeType): \(copyOut.stdout) \(copyOut.stderr)")
      #expect(try WorkerClusterTests.md5(back) == expected, "\(writeType) round trip")
      try FileManager.default.removeItem(at: back)
    }
    let inBucket = try moto.boto3(
      """
      import hashlib
      names = [o['Key'] for o in s3.list_objects_v2(Bucket='acceptance', Prefix='written/').get('Contents', []) if not o['Key'].endswith('/')]
      h = hashlib.md5()
      body = s3.get_object(Bucket='acceptance', Key='written/cache-through.bin')['Body']
      for chunk in iter(lambda: body.read(1 << 20), b''):
          h.update(chunk)
      print(sorted(names), h.hexdigest())
      """
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(inBucket == "['written/cache-through.bin'] \(expected)", "CACHE_THROUGH is in the bucket, MUST_CACHE is not")
    let logs = try String(contentsOf: cluster.logs.appendingPathComponent("worker.log"), encoding: .utf8)
    #expect(!logs.contains("testing-secret-value"))
  }
}
