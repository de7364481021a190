import Foundation
import GooseFSCore
import GooseFSTestSupport
@testable import GooseFSUFS
import NIOCore
import Testing

/// The adapter against a real S3 server (moto), beyond the conformance suite.
@Suite("Object store against moto", .timeLimit(.minutes(10)))
struct ObjectStoreMotoTests {
  typealias Support = ObjectStoreTestSupport

  func s3(_ bucket: String, prefix: String = "", extra: [String: String] = [:]) throws -> any UnderFileSystem {
    try UnderFileSystemRegistry.standard.create(
      uri: "s3://\(bucket)/\(prefix)", options: SharedMoto.s3Options(try SharedMoto.server(), extra: extra))
  }

  func makeBucket() throws -> String {
    let bucket = SharedMoto.freshBucketName()
    try SharedMoto.server().boto3("s3.create_bucket(Bucket='\(bucket)')")
    return bucket
  }

  /// ~2,000 objects in nested prefixes, some with directory markers and some only implied; the
  /// adapter's recursive walk must find exactly the objects and prefixes boto3 reports.
  @Test func recursiveWalkMatchesBoto3() async throws {
    let moto = try SharedMoto.server()
    let bucket = try makeBucket()
    // Markers for even areas and every third part; everything else implicit.
    try moto.boto3(
      """
      for a in range(10):
          if a % 2 == 0:
              s3.put_object(Bucket='\(bucket)', Key=f'area{a}/', Body=b'')
          for b in range(10):
              if b % 3 == 0:
                  s3.put_object(Bucket='\(bucket)', Key=f'area{a}/part{b}/', Body=b'')
      s3.put_object(Bucket='\(bucket)', Key='empty-dir/', Body=b'')
      s3.put_object(Bucket='\(bucket)', Key='odd name/with+plus & amp/ünï.txt', Body=b'12345')
      """)
    try SharedMoto.putSmallObjects(
      bucket: bucket, keys: "area{i // 200}/part{(i // 20) % 10}/obj{i % 20}.dat", count: 2000, size: "i % 50")
    let listing = try moto.boto3(
      """
      paginator = s3.get_paginator('list_objects_v2')
      for page in paginator.paginate(Bucket='\(bucket)'):
          for o in page.get('Contents', []):
              print(f"{o['Size']}\\t{o['Key']}")
      """)
    var expected: [String: Int64] = [:]
    for line in listing.split(separator: "\n") {
      let fields = line.split(separator: "\t", maxSplits: 1)
      let key = String(fields[1])
      var path = "/" + key
      if key.hasSuffix("/") {
        path.removeLast()
        expected[path] = -1
      } else {
        expected[path] = Int64(fields[0])!
      }
      var parent = (path as NSString).deletingLastPathComponent
      while parent != "/" {
        expected[parent] = -1
        parent = (parent as NSString).deletingLastPathComponent
      }
    }
    #expect(expected.values.filter { $0 >= 0 }.count == 2001)

    let ufs = try s3(bucket)
    let clock = ContinuousClock()
    var walked: [String: Int64] = [:]
    let elapsed = try await clock.measure { walked = try await Support.walk(ufs, UFSURI("s3://\(bucket)/")) }
    #expect(walked == expected, "missing: \(Set(expected.keys).subtracting(walked.keys).sorted().prefix(5))")
    print("walk of \(walked.count) entries (2,001 objects in 113 directories) took \(elapsed)")
  }

  /// 40 MiB through the multipart path with 8 MiB parts, then read back by ranges that straddle
  /// part boundaries and sequentially with every read strategy.
  @Test(arguments: ObjectStoreTuning.ReadStrategy.allCases)
  func multipartUploadAndReads(_ strategy: ObjectStoreTuning.ReadStrategy) async throws {
    let bucket = try makeBucket()
    let size = 40 << 20
    let ufs = try s3(
      bucket, prefix: "data",
      extra: [
        "goosefs.underfs.s3.streaming.upload.partition.size": "8MB",
        "goosefs.underfs.object.read.strategy": strategy.rawValue,
        "goosefs.underfs.object.read.part.size": "4MB", "goosefs.underfs.object.read.parallelism": "3",
      ])
    let path = "s3://\(bucket)/data/nested/big.bin"
    try await Support.writePattern(ufs, path, size: size, chunk: 3 << 20 + 1)
    // Five 8 MiB parts: the multipart ETag ends in "-5".
    let etag = try SharedMoto.server().boto3(
      "print(s3.head_object(Bucket='\(bucket)', Key='data/nested/big.bin')['ETag'])")
    #expect(etag.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("-5\""))
    let status = try #require(try await ufs.status(path))
    #expect(status.length == Int64(size))

    let stream = try await ufs.openRead(path)
    for (offset, length) in [(0, 1), (1, 100), (8 << 20 - 7, 14), (20 << 20 + 3, 9 << 20), (size - 10, 100)] {
      let buffer = try await stream.read(offset: Int64(offset), length: length)
      let expected = min(length, size - offset)
      #expect(Array(buffer.readableBytesView) == Support.pattern(offset: offset, count: expected), "at \(offset)")
    }
    #expect(try await Support.readAndCheckPattern(stream, size: size, chunk: 1 << 20))
    // Odd-sized sequential reads (not aligned to the parts) from a fresh stream.
    let second = try await ufs.openRead(path)
    #expect(try await Support.readAndCheckPattern(second, size: size, chunk: 777_777))
    await second.close()
    await stream.close()
    await expectGooseFSError(.failedPrecondition) { try await stream.read(offset: 0, length: 1) }
  }

  /// A file replaced while open fails the next read instead of mixing two versions.
  @Test func replacedObjectFailsOpenStreams() async throws {
    let bucket = try makeBucket()
    let ufs = try s3(bucket)
    let path = "s3://\(bucket)/v"
    try await UFSTestSupport.writeFile(ufs, path, "version one")
    let stream = try await ufs.openRead(path)
    #expect(try await UFSTestSupport.readString(stream, offset: 0, length: 3) == "ver")
    try await UFSTestSupport.writeFile(ufs, path, "version two!")
    // Offset 5, not 3: a contiguous read could still be served from bytes of the first version
    // already streamed in (consistent, just old); a fresh ranged GET carries If-Match.
    await expectGooseFSError(.failedPrecondition) { try await stream.read(offset: 5, length: 3) }
  }

  /// Objects beyond the single-request copy limit are renamed with a multipart copy (limits
  /// shrunk here so that 12 MiB exercises it: three parts of 5, 5 and 2 MiB).
  @Test func multipartCopyOfLargeObjects() async throws {
    let bucket = try makeBucket()
    let location = try ObjectStoreLocation.resolve(
      uri: UFSURI("s3://\(bucket)/"), options: SharedMoto.s3Options(try SharedMoto.server()), environment: [:])
    let ufs = ObjectStoreUnderFileSystem(location: location, transport: try ObjectStoreConnections.transport(for: location.tuning, logger: .init(label: "test")))
    let size = 12 << 20
    try await Support.writePattern(ufs, "s3://\(bucket)/source", size: size, chunk: 1 << 20)
    try await ObjectStoreTree.copyObject(
      ufs.client, from: "source", to: "copy", length: Int64(size), singleLimit: 8 << 20, partSize: 5 << 20)
    let stream = try await ufs.openRead("s3://\(bucket)/copy")
    #expect(try await Support.readAndCheckPattern(stream, size: size, chunk: 4 << 20))
    let etag = try SharedMoto.server().boto3("print(s3.head_object(Bucket='\(bucket)', Key='copy')['ETag'])")
    #expect(etag.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("-3\""))
  }

  @Test func missingBucketNamesTheBucket() async throws {
    let ufs = try s3("no-such-bucket-here")
    let error = await expectGooseFSError(.notFound) { try await ufs.status("s3://no-such-bucket-here/") }
    #expect(error?.message.contains("Bucket \"no-such-bucket-here\" does not exist") == true)
  }

  /// cosn:// pointed at moto the way the integration tests do it: the seed flow's keys plus a
  /// full-URL endpoint suffix, which is addressed path style and signed with SigV4 (moto cannot
  /// parse a COS Authorization header: its request router answers 500). The bucket keeps its
  /// -appid name, completed from fs.cos.app.id.
  @Test func cosnLocationBasicOperations() async throws {
    let moto = try SharedMoto.server()
    let bucket = "test-1250000000"
    try moto.boto3(
      """
      try:
          s3.create_bucket(Bucket='\(bucket)')
      except s3.exceptions.BucketAlreadyOwnedByYou:
          pass
      """)
    let prefix = "cosn-\(UUID().uuidString.prefix(8).lowercased())"
    let ufs = try UnderFileSystemRegistry.standard.create(
      uri: "cosn://test/\(prefix)",
      options: [
        "fs.cosn.userinfo.secretId": "AKIDexampleSecretId", "fs.cosn.userinfo.secretKey": "cos-secret-never-printed",
        "fs.cosn.bucket.region": "ap-guangzhou", "fs.cosn.bucket.endpoint_suffix": moto.endpoint,
        "fs.cos.app.id": "1250000000", "fs.cosn.upload.part.size": "5MB",
      ])
    #expect(ufs.typeName == "cosn")
    let root = "cosn://test/\(prefix)"
    #expect(try await ufs.status(root)?.isDirectory == true)
    #expect(try await ufs.createDirectory("\(root)/dir", mode: 0o755, createParents: false))
    try await UFSTestSupport.writeFile(ufs, "\(root)/dir/hello.txt", "hello cos")
    try await Support.writePattern(ufs, "\(root)/dir/multi.bin", size: 12 << 20, chunk: 1 << 20)
    #expect(try await ufs.list(root)?.map(\.name) == ["dir"])
    #expect(try await ufs.list("\(root)/dir")?.map(\.name) == ["hello.txt", "multi.bin"])
    #expect(try await UFSTestSupport.readFile(ufs, "\(root)/dir/hello.txt") == "hello cos")
    let stream = try await ufs.openRead("\(root)/dir/multi.bin")
    #expect(try await Support.readAndCheckPattern(stream, size: 12 << 20, chunk: 1 << 20))
    let keys = try moto.boto3(
      "print(sorted(o['Key'] for o in s3.list_objects_v2(Bucket='\(bucket)', Prefix='\(prefix)/')['Contents']))")
    #expect(keys.contains("'\(prefix)/dir/'") && keys.contains("'\(prefix)/dir/hello.txt'"))
    #expect(try await ufs.deleteFile("\(root)/dir/hello.txt"))
    await expectGooseFSError(.directoryNotEmpty) { try await ufs.deleteDirectory("\(root)/dir", recursive: false) }
    #expect(try await ufs.rename("\(root)/dir", to: "\(root)/moved"))
    let moved = try await ufs.openRead("\(root)/moved/multi.bin")
    #expect(try await Support.readAndCheckPattern(moved, size: 12 << 20, chunk: 3 << 20))
    #expect(try await ufs.deleteDirectory("\(root)/moved", recursive: true))
    #expect(try await ufs.list(root) == [])
  }
}

/// A separate moto_server with signature checking switched on (moto's /moto-api/reset-auth):
/// a wrong secret must give a clean `.permissionDenied` naming the bucket, never the secret.
@Suite("Object store credentials against moto", .serialized)
struct ObjectStoreMotoAuthTests {
  @Test func wrongSecretIsPermissionDeniedNamingTheBucket() async throws {
    let moto = try MotoServer()
    let keys = try moto.boto3(
      """
      import json, urllib.request
      iam = boto3.client('iam', endpoint_url='\(moto.endpoint)', region_name='us-east-1',
                         aws_access_key_id='testing', aws_secret_access_key='testing')
      iam.create_user(UserName='goosefs')
      key = iam.create_access_key(UserName='goosefs')['AccessKey']
      iam.put_user_policy(UserName='goosefs', PolicyName='all', PolicyDocument=json.dumps(
          {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}))
      s3.create_bucket(Bucket='secure')
      s3.put_object(Bucket='secure', Key='ok.txt', Body=b'signed')
      # Signatures are checked from the next request on (the count of unchecked requests is 0).
      urllib.request.urlopen(urllib.request.Request('\(moto.endpoint)/moto-api/reset-auth', data=b'0', method='POST',
                                                    headers={'Content-Type': 'text/plain'})).read()
      print(key['AccessKeyId'], key['SecretAccessKey'])
      """)
    let parts = keys.split(whereSeparator: \.isWhitespace).map(String.init)
    let (id, secret) = (parts[0], parts[1])
    func adapter(_ secret: String) throws -> any UnderFileSystem {
      try UnderFileSystemRegistry.standard.create(
        uri: "s3://secure/", options: ["goosefs.underfs.s3.endpoint": moto.endpoint, "s3a.accessKeyId": id, "s3a.secretKey": secret])
    }
    // Only requests whose query has no percent-encoded characters: moto verifies SigV4 against
    // the decoded query string (`prefix=a/` where the signed canonical form is `prefix=a%2F`),
    // so with checking on it rejects correctly signed listings of sub-directories.
    let good = try adapter(secret)
    #expect(try await good.status("s3://secure/")?.isDirectory == true)
    #expect(try await good.status("s3://secure/ok.txt")?.length == 6)
    let input = try await good.openRead("s3://secure/ok.txt")
    #expect(try await UFSTestSupport.readString(input, offset: 0, length: 100) == "signed")

    let wrongSecret = "definitely-the-wrong-secret"
    let bad = try adapter(wrongSecret)
    let error = await expectGooseFSError(.permissionDenied) { try await bad.status("s3://secure/") }
    let message = error?.message ?? ""
    #expect(message.contains("Access denied to bucket \"secure\" (SignatureDoesNotMatch)"), "\(message)")
    #expect(message.contains("s3a.accessKeyId/s3a.secretKey"))
    #expect(!message.contains(wrongSecret) && !message.contains(secret) && !message.contains(id))
    await expectGooseFSError(.permissionDenied) { try await bad.openRead("s3://secure/ok.txt") }
  }
}
