import Foundation
import GooseFSTestSupport
import Testing

/// The master over object stores, as Fluid configures it: a real moto_server holds the bucket.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ObjectStoreMasterTests {
  /// ~2,000 objects in nested prefixes; some prefixes have `dir/` markers, some exist only
  /// implicitly. Returns nothing: the expected tree is read back with the AWS CLI.
  static func seedBucket(_ moto: MotoServer, bucket: String) throws {
    try moto.boto3(
      """
      s3.create_bucket(Bucket='\(bucket)')
      for a in range(10):
          if a % 2 == 0:
              s3.put_object(Bucket='\(bucket)', Key=f'area{a}/', Body=b'')
          for b in range(10):
              if b % 3 == 0:
                  s3.put_object(Bucket='\(bucket)', Key=f'area{a}/part{b}/', Body=b'')
              for c in range(20):
                  s3.put_object(Bucket='\(bucket)', Key=f'area{a}/part{b}/obj{c}.dat', Body=b'x' * ((a * 7 + b * 3 + c) % 50))
      s3.put_object(Bucket='\(bucket)', Key='top-level.txt', Body=b'hello')
      s3.put_object(Bucket='\(bucket)', Key='empty-dir/', Body=b'')
      """)
  }

  /// What `aws s3 ls --recursive` shows, as GooseFS paths: every object (markers as their
  /// directory) plus every prefix implied by a key. Also the file count and total bytes.
  static func expectedTree(_ moto: MotoServer, bucket: String) throws -> (paths: Set<String>, files: Int, bytes: Int64) {
    let listing = try LocalCluster.runTool(
      "aws", ["s3", "ls", "--recursive", "s3://\(bucket)", "--endpoint-url", moto.endpoint],
      environment: ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"])
    var paths: Set<String> = []
    var files = 0
    var bytes: Int64 = 0
    for line in listing.split(separator: "\n") {
      // "2026-11-27 16:00:00         12 area0/part0/obj1.dat"
      let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
      guard fields.count == 4, let size = Int64(fields[2]) else { continue }
      let key = String(fields[3])
      var path = "/" + key
      if key.hasSuffix("/") {
        path.removeLast()
      } else {
        files += 1
        bytes += size
      }
      paths.insert(path)
      var parent = (path as NSString).deletingLastPathComponent
      while parent != "/" {
        paths.insert(parent)
        parent = (parent as NSString).deletingLastPathComponent
      }
    }
    return (paths, files, bytes)
  }

  static func checkTree(_ cluster: LocalCluster, expected: (paths: Set<String>, files: Int, bytes: Int64)) throws {
    let ls = try cluster.run(["fs", "ls", "-R", "/"])
    #expect(ls.status == 0, "\(ls.stdout.suffix(500))")
    let listed = Set(ls.lines.compactMap { $0.split(separator: " ").last.map(String.init) })
    #expect(listed == expected.paths, "missing: \(expected.paths.subtracting(listed).sorted().prefix(5)), extra: \(listed.subtracting(expected.paths).sorted().prefix(5))")
    let count = try cluster.run(["fs", "count", "/"])
    #expect(count.lines.count == 2)
    let numbers = count.lines.last?.split(separator: " ").compactMap { Int64($0) } ?? []
    let folders = expected.paths.count - expected.files + 1  // + the root itself
    #expect(numbers == [Int64(expected.files), Int64(folders), expected.bytes])
  }

  @Test func s3RootListsExactlyWhatTheBucketHolds() throws {
    let moto = try MotoServer()
    try Self.seedBucket(moto, bucket: "dataset")
    let expected = try Self.expectedTree(moto, bucket: "dataset")
    #expect(expected.files == 2001)
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.master.mount.table.root.ufs": "s3://dataset/",
      "goosefs.underfs.s3.endpoint": moto.endpoint,
      "goosefs.underfs.s3.disable.dns.buckets": "true",
      "s3a.accessKeyId": "testing",
      "s3a.secretKey": "testing-secret-value",
    ])
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    #expect(try cluster.run(["fs", "loadMetadata", "-R", "/"]).status == 0)
    try Self.checkTree(cluster, expected: expected)
    let mounts = try cluster.run(["fs", "mount"])
    #expect(mounts.lines.first?.split(separator: " ", omittingEmptySubsequences: true)[2] == "/")
    #expect(!mounts.stdout.contains("testing-secret-value"))
  }

  @Test func cosnRootWithTheSeedsOptionKeys() throws {
    let moto = try MotoServer()
    try Self.seedBucket(moto, bucket: "slice-1250000000")
    let expected = try Self.expectedTree(moto, bucket: "slice-1250000000")
    // Exactly the Dataset options of the seed flow, plus an endpoint suffix pointing at moto.
    let cluster = try LocalCluster(extraProperties: [
      "goosefs.master.mount.table.root.ufs": "cosn://slice",
      "fs.cosn.userinfo.secretId": "AKIDexampleSecretId",
      "fs.cosn.userinfo.secretKey": "cos-secret-key-value",
      "fs.cosn.bucket.region": "ap-guangzhou",
      "fs.cosn.impl": "org.apache.hadoop.fs.CosFileSystem",
      "fs.AbstractFileSystem.cosn.impl": "org.apache.hadoop.fs.CosN",
      "fs.cos.app.id": "1250000000",
      "fs.cosn.bucket.endpoint_suffix": moto.endpoint,
    ])
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    try Self.checkTree(cluster, expected: expected)
    let mounts = try cluster.run(["fs", "mount"])
    #expect(!mounts.stdout.contains("cos-secret-key-value") && !mounts.stdout.contains("AKIDexampleSecretId"))
    let log = try String(contentsOf: cluster.logs.appendingPathComponent("master.log"), encoding: .utf8)
    #expect(!log.contains("cos-secret-key-value"))
  }

  @Test func mountAnS3BucketFromTheCLI() throws {
    let moto = try MotoServer()
    try moto.boto3(
      """
      s3.create_bucket(Bucket='extra')
      s3.put_object(Bucket='extra', Key='inside/file.txt', Body=b'12345')
      """)
    let cluster = try LocalCluster()
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let mounted = try cluster.run([
      "fs", "mount", "--readonly",
      "--option", "goosefs.underfs.s3.endpoint=\(moto.endpoint)",
      "--option", "goosefs.underfs.s3.disable.dns.buckets=true",
      "--option", "s3a.accessKeyId=testing", "--option", "s3a.secretKey=mount-secret-value",
      "/extra", "s3://extra/",
    ])
    #expect(mounted.status == 0, "\(mounted.stdout)")
    let listing = try cluster.run(["fs", "ls", "-R", "/extra"])
    #expect(listing.lines.compactMap { $0.split(separator: " ").last.map(String.init) } == ["/extra/inside", "/extra/inside/file.txt"])
    let mounts = try cluster.run(["fs", "mount"])
    #expect(mounts.lines.count == 2)
    #expect(!mounts.stdout.contains("mount-secret-value"))
    #expect(mounts.stdout.contains("s3://extra/"))
  }

  @Test func missingBucketIsAClearError() throws {
    let moto = try MotoServer()
    let cluster = try LocalCluster()
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let mounted = try cluster.run([
      "fs", "mount", "--option", "goosefs.underfs.s3.endpoint=\(moto.endpoint)",
      "--option", "goosefs.underfs.s3.disable.dns.buckets=true",
      "--option", "s3a.accessKeyId=testing", "--option", "s3a.secretKey=another-secret",
      "/nobucket", "s3://no-such-bucket/",
    ])
    #expect(mounted.status == 255)
    #expect(mounted.stdout.contains("no-such-bucket"))
    #expect(!mounted.stdout.contains("another-secret"))
  }
}
