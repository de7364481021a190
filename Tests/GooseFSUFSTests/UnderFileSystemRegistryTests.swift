import GooseFSCore
import GooseFSUFS
import Testing

@Suite("UnderFileSystemRegistry")
struct UnderFileSystemRegistryTests {
  @Test(arguments: ["/tmp", "file:///tmp"])
  func localLocationsGetTheLocalAdapter(_ location: String) throws {
    let ufs = try UnderFileSystemRegistry.create(uri: location, options: [:])
    #expect(ufs.typeName == "local")
    #expect(ufs.uri.path == "/tmp")
  }

  @Test(arguments: [
    ("s3://bucket/a", "s3"), ("s3a://bucket/", "s3"), ("cosn://bucket-1250000000/prefix/", "cosn"), ("cos://b-1250000000/x", "cos"),
  ])
  func objectStoresGetTheObjectStoreAdapter(_ location: String, _ typeName: String) throws {
    let options = [
      "s3a.accessKeyId": "id", "s3a.secretKey": "hunter2", "fs.cosn.userinfo.secretId": "id",
      "fs.cosn.userinfo.secretKey": "hunter2", "fs.cosn.bucket.region": "ap-guangzhou",
      "fs.cos.access.key": "id", "fs.cos.secret.key": "hunter2", "fs.cos.region": "ap-guangzhou",
    ]
    let ufs = try UnderFileSystemRegistry.standard.create(uri: location, options: options)
    #expect(ufs.typeName == typeName)
    #expect(ufs is ObjectStoreUnderFileSystem)
  }

  @Test(arguments: ["s3://bucket/a", "cosn://bucket-1250000000/prefix/"])
  func objectStoresWithoutCredentialsFailWithoutEchoingSecrets(_ location: String) {
    let error = #expect(throws: GooseFSError.self) {
      try UnderFileSystemRegistry.standard.create(uri: location, options: ["fs.cos.secretKey": "hunter2", "fs.cosn.bucket.region": "r"])
    }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains("No credentials") == true)
    #expect(error?.message.contains("hunter2") == false)
  }

  @Test(arguments: ["hdfs://namenode:8020/x", "ftp://host/x"])
  func unknownSchemesAreInvalid(_ location: String) {
    let error = #expect(throws: GooseFSError.self) {
      try UnderFileSystemRegistry.standard.create(uri: location, options: ["password": "hunter2"])
    }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains("hunter2") == false)
  }

  @Test func factoriesCanBeRegisteredByScheme() throws {
    var registry = UnderFileSystemRegistry.standard
    registry.register(scheme: "S3") { uri, options in
      #expect(options["region"] == "ap-guangzhou")
      // Stand-in adapter: the point is that the scheme now routes to this factory.
      return try LocalUnderFileSystem(uri: UFSURI("/tmp/\(uri.authority)"))
    }
    let ufs = try registry.create(uri: "s3://bucket/x", options: ["region": "ap-guangzhou"])
    #expect(ufs.uri.path == "/tmp/bucket")
    #expect(registry.schemes.contains("s3"))
    #expect(UnderFileSystemRegistry().schemes.isEmpty)
    #expect(throws: GooseFSError.self) { try UnderFileSystemRegistry().create(uri: "/tmp") }
  }
}
