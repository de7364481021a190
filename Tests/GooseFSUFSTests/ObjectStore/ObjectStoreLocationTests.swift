import GooseFSCore
import GooseFSUFS
import Testing

@Suite("Object store locations")
struct ObjectStoreLocationTests {
  static let s3Keys = ["s3a.accessKeyId": "AKIAEXAMPLE", "s3a.secretKey": "s3-secret-value"]
  static let cosKeys = ["fs.cosn.userinfo.secretId": "AKIDexample", "fs.cosn.userinfo.secretKey": "cos-secret-value"]

  func resolve(_ uri: String, _ options: [String: String], environment: [String: String] = [:]) throws -> ObjectStoreLocation {
    try ObjectStoreLocation.resolve(uri: UFSURI(uri), options: options, environment: environment)
  }

  struct EndpointCase: Sendable, CustomStringConvertible {
    var uri: String
    var options: [String: String]
    var scheme: String
    var host: String
    var port: Int?
    var pathStyle: Bool
    var description: String { "\(uri) \(options)" }
  }

  static let endpointCases: [EndpointCase] = [
    // AWS itself: virtual-host style over HTTPS in the configured region.
    .init(uri: "s3://data/x", options: [:], scheme: "https", host: "data.s3.us-east-1.amazonaws.com", pathStyle: false),
    .init(
      uri: "s3a://data/x", options: ["goosefs.underfs.s3.endpoint.region": "eu-west-1"], scheme: "https",
      host: "data.s3.eu-west-1.amazonaws.com", pathStyle: false),
    .init(
      uri: "s3://data", options: ["goosefs.underfs.s3.disable.dns.buckets": "true"], scheme: "https",
      host: "s3.us-east-1.amazonaws.com", pathStyle: true),
    // A dotted bucket cannot use the wildcard certificate: path style.
    .init(uri: "s3://my.data/x", options: [:], scheme: "https", host: "s3.us-east-1.amazonaws.com", pathStyle: true),
    // A host endpoint keeps virtual-host style; a full URL means path style at that address.
    .init(
      uri: "s3://data", options: ["goosefs.underfs.s3.endpoint": "storage.example.com"], scheme: "https",
      host: "data.storage.example.com", pathStyle: false),
    .init(
      uri: "s3://data",
      options: ["goosefs.underfs.s3.endpoint": "minio.local:9000", "goosefs.underfs.s3.secure.http.enabled": "false",
        "goosefs.underfs.s3.disable.dns.buckets": "true"],
      scheme: "http", host: "minio.local", port: 9000, pathStyle: true),
    .init(
      uri: "s3://data", options: ["goosefs.underfs.s3.endpoint": "http://127.0.0.1:5000"], scheme: "http",
      host: "127.0.0.1", port: 5000, pathStyle: true),
    .init(
      uri: "s3://data", options: ["goosefs.underfs.s3.endpoint": "https://cos.ap-guangzhou.myqcloud.com/"],
      scheme: "https", host: "cos.ap-guangzhou.myqcloud.com", pathStyle: true),
    // COS: the region's public endpoint, a host suffix, or a full URL (path style).
    .init(
      uri: "cosn://bucket-1250000000/p", options: ["fs.cosn.bucket.region": "ap-guangzhou"], scheme: "https",
      host: "bucket-1250000000.cos.ap-guangzhou.myqcloud.com", pathStyle: false),
    .init(
      uri: "cosn://bucket/p", options: ["fs.cosn.bucket.region": "ap-beijing", "fs.cos.app.id": "1250000000"],
      scheme: "https", host: "bucket-1250000000.cos.ap-beijing.myqcloud.com", pathStyle: false),
    .init(
      uri: "cosn://bucket-1250000000/p",
      options: ["fs.cosn.bucket.endpoint_suffix": "cos.ap-shanghai.myqcloud.com", "fs.cosn.useHttps": "false"],
      scheme: "http", host: "bucket-1250000000.cos.ap-shanghai.myqcloud.com", pathStyle: false),
    .init(
      uri: "cosn://bucket-1250000000/p", options: ["fs.cosn.bucket.endpoint_suffix": ".cos-internal.ap-shanghai.tencentcos.cn"],
      scheme: "https", host: "bucket-1250000000.cos-internal.ap-shanghai.tencentcos.cn", pathStyle: false),
    .init(
      uri: "cosn://test-1250000000/", options: ["fs.cosn.bucket.endpoint_suffix": "http://127.0.0.1:5000"],
      scheme: "http", host: "127.0.0.1", port: 5000, pathStyle: true),
    .init(
      uri: "cos://bucket-1250000000/", options: ["fs.cos.region": "ap-chengdu"], scheme: "https",
      host: "bucket-1250000000.cos.ap-chengdu.myqcloud.com", pathStyle: false),
  ]

  @Test(arguments: endpointCases)
  func endpoints(_ testCase: EndpointCase) throws {
    let credentials = testCase.uri.hasPrefix("s3") ? Self.s3Keys : Self.cosKeys.merging(["fs.cos.access.key": "a", "fs.cos.secret.key": "b"]) { a, _ in a }
    let location = try resolve(testCase.uri, credentials.merging(testCase.options) { _, new in new })
    #expect(location.endpoint == ObjectStoreEndpoint(
      scheme: testCase.scheme, host: testCase.host, port: testCase.port, pathStyle: testCase.pathStyle))
  }

  @Test func bucketAndRootKey() throws {
    let cos = try resolve("cosn://bucket/dir/sub/", Self.cosKeys.merging(["fs.cos.app.id": "1250000000", "fs.cosn.bucket.region": "ap-guangzhou"]) { a, _ in a })
    #expect(cos.bucket == "bucket-1250000000")
    #expect(cos.rootKey == "dir/sub/")
    #expect(cos.dialect == .cos)
    #expect(cos.signing == .cos)
    #expect(cos.region == "ap-guangzhou")
    let s3 = try resolve("s3://bucket/", Self.s3Keys)
    #expect(s3.rootKey == "")
    #expect(s3.dialect == .s3)
    #expect(s3.signing == .awsV4)
    #expect(s3.tuning.partSize == 64 << 20)
    #expect(cos.tuning.partSize == 8 << 20)
  }

  @Test func cosSignerFollowsTheEndpointForm() throws {
    let region = Self.cosKeys.merging(["fs.cosn.bucket.region": "ap-guangzhou"]) { a, _ in a }
    // A region or host suffix is real COS: COS signing and headers.
    let real = try resolve("cosn://test-1250000000/", region.merging(["fs.cosn.bucket.endpoint_suffix": "cos.ap-guangzhou.myqcloud.com"]) { a, _ in a })
    #expect((real.signing, real.dialect) == (.cos, .cos))
    // A full URL is an S3-compatible endpoint: SigV4 and x-amz-* headers unless told otherwise.
    let url = region.merging(["fs.cosn.bucket.endpoint_suffix": "http://127.0.0.1:1"]) { a, _ in a }
    let gateway = try resolve("cosn://test-1250000000/", url)
    #expect((gateway.signing, gateway.dialect) == (.awsV4, .s3))
    let forced = try resolve("cosn://test-1250000000/", url.merging(["fs.cosn.signer": "cos"]) { a, _ in a })
    #expect((forced.signing, forced.dialect) == (.cos, .cos))
    let s3v4 = try resolve("cosn://test-1250000000/", region.merging(["fs.cosn.signer": "s3v4"]) { a, _ in a })
    #expect((s3v4.signing, s3v4.dialect) == (.awsV4, .s3))
    #expect(throws: GooseFSError.self) { try resolve("cosn://test-1250000000/", region.merging(["fs.cosn.signer": "v2"]) { a, _ in a }) }
  }

  @Test func tuningFromOptions() throws {
    let location = try resolve(
      "cosn://b-1250000000/",
      Self.cosKeys.merging([
        "fs.cosn.bucket.region": "ap-guangzhou", "fs.cosn.upload.part.size": "16MB",
        "goosefs.underfs.listing.length": "5000", "goosefs.underfs.object.read.strategy": "parallel",
        "goosefs.underfs.object.read.parallelism": "4", "goosefs.underfs.object.read.part.size": "4MB",
        "fs.cos.socket.timeout": "10sec", "goosefs.underfs.s3.request.timeout": "2min", "fs.cos.connection.max": "64",
        "goosefs.underfs.s3.default.mode": "0750", "goosefs.underfs.object.owner": "hadoop",
      ]) { a, _ in a })
    let tuning = location.tuning
    #expect(tuning.partSize == 16 << 20)
    #expect(tuning.listingLength == 1000)  // capped at the S3 maximum
    #expect(tuning.readStrategy == .parallel)
    #expect(tuning.readParallelism == 4)
    #expect(tuning.readPartSize == 4 << 20)
    #expect(tuning.socketTimeout == .seconds(10))
    #expect(tuning.requestTimeout == .seconds(120))
    #expect(tuning.maxConnections == 64)
    #expect(tuning.mode == 0o750)
    #expect(tuning.owner == "hadoop")
  }

  @Test func invalidTuningIsRejectedByName() throws {
    let error = #expect(throws: GooseFSError.self) {
      try resolve("s3://b/", Self.s3Keys.merging(["goosefs.underfs.object.read.strategy": "magic"]) { a, _ in a })
    }
    #expect(error?.message.contains("goosefs.underfs.object.read.strategy") == true)
    #expect(throws: GooseFSError.self) {
      try resolve("s3://b/", Self.s3Keys.merging(["goosefs.underfs.s3.streaming.upload.partition.size": "1MB"]) { a, _ in a })
    }
  }

  @Test func credentialSources() throws {
    let fromAWSKeys = try resolve("s3://b/", ["aws.accessKeyId": "id", "aws.secretKey": "aws-secret"])
    #expect(fromAWSKeys.credentials.source.contains("aws.accessKeyId"))
    let fromEnvironment = try resolve(
      "s3://b/", [:], environment: ["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "t"])
    #expect(fromEnvironment.credentials.source.contains("AWS_ACCESS_KEY_ID"))
    // Mount options win over the environment.
    let both = try resolve("s3://b/", Self.s3Keys, environment: ["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "x"])
    #expect(both.credentials.source.contains("s3a.accessKeyId"))
    let cos = try resolve(
      "cosn://b-1250000000/", ["fs.cosn.bucket.region": "ap-guangzhou"],
      environment: ["COS_SECRET_ID": "id", "COS_SECRET_KEY": "env-cos-secret"])
    #expect(cos.credentials.source.contains("COS_SECRET_ID"))
    let nativeCos = try resolve(
      "cos://b-1250000000/", ["fs.cos.region": "ap-guangzhou", "fs.cos.access.key": "id", "fs.cos.secret.key": "native-secret"])
    #expect(nativeCos.credentials.source.contains("fs.cos.access.key"))
    #expect(nativeCos.credentialKeysHint == "fs.cos.access.key/fs.cos.secret.key")
  }

  @Test func missingOrPartialCredentialsNameTheKeysNotTheSecrets() throws {
    let missing = #expect(throws: GooseFSError.self) { try resolve("s3://b/", [:]) }
    #expect(missing?.code == .invalidArgument)
    #expect(missing?.message.contains("s3a.accessKeyId") == true)
    #expect(missing?.message.contains("AWS_ACCESS_KEY_ID") == true)

    let partial = #expect(throws: GooseFSError.self) {
      try resolve("cosn://b-1250000000/", ["fs.cosn.userinfo.secretKey": "half-secret", "fs.cosn.bucket.region": "r"])
    }
    #expect(partial?.message.contains("fs.cosn.userinfo.secretId") == true)
    #expect(partial?.message.contains("half-secret") == false)

    let noRegion = #expect(throws: GooseFSError.self) { try resolve("cosn://b-1250000000/", Self.cosKeys) }
    #expect(noRegion?.message.contains("fs.cosn.bucket.region") == true)
    let noAppID = #expect(throws: GooseFSError.self) {
      try resolve("cosn://bucket/", Self.cosKeys.merging(["fs.cosn.bucket.region": "ap-guangzhou"]) { a, _ in a })
    }
    #expect(noAppID?.message.contains("fs.cos.app.id") == true)
  }

  @Test func descriptionsNeverShowSecrets() throws {
    let location = try resolve("s3://b/", Self.s3Keys, environment: [:])
    let text = "\(location) \(location.credentials) \(String(reflecting: location.credentials))"
    #expect(!text.contains("s3-secret-value"))
    #expect(!text.contains("AKIAEXAMPLE"))
  }
}
