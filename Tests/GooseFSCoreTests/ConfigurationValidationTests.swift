import Testing

@testable import GooseFSCore

@Suite("Validation, secrets and ignored keys")
struct ConfigurationValidationTests {
  @Test func invalidValueNamesKeyValueAndForm() {
    let configuration = Configuration(properties: ["goosefs.user.block.size.bytes.default": "12XB"])
    #expect(
      throws: GooseFSError(
        .invalidArgument,
        "Invalid value \"12XB\" for goosefs.user.block.size.bytes.default: expected a byte size such as 128MB, 5G or 1048576")
    ) { try configuration.validate() }
  }

  @Test(arguments: [
    ("goosefs.master.journal.type", "RAFT"),
    ("goosefs.master.rpc.port", "92o0"),
    ("goosefs.user.metadata.cache.enabled", "yes"),
    ("goosefs.worker.tieredstore.level0.watermark.high.ratio", "high"),
    ("goosefs.worker.tieredstore.level0.dirs.quota", "5G,lots"),
    ("goosefs.user.file.metadata.sync.interval", "soon"),
    ("goosefs.security.authorization.permission.umask", "999"),
    ("goosefs.worker.tieredstore.level4.dirs.quota", "1X"),
  ])
  func rejectsBadValues(name: String, value: String) {
    let configuration = Configuration(properties: [name: value])
    #expect(throws: GooseFSError.self) { try configuration.validate() }
  }

  @Test func acceptsReferencesThatResolveToValidValues() throws {
    try Configuration(properties: [
      "goosefs.worker.ramdisk.size": "2GB",
      "goosefs.worker.tieredstore.level0.dirs.quota": "${goosefs.worker.ramdisk.size}",
      "goosefs.worker.memory.size": "32Gi",
    ]).validate()
  }

  @Test func typedUnderStoragePropertiesAreValidatedToo() {
    let configuration = Configuration(properties: ["fs.cos.connection.max": "many"])
    #expect(throws: GooseFSError.self) { try configuration.validate() }
  }

  @Test func secretValuesAreMaskedInErrors() {
    let error = Configuration.invalidValue("hunter2", for: "fs.oss.accessKeySecret", .integer)
    #expect(error.message == "Invalid value \"******\" for fs.oss.accessKeySecret: expected an integer such as 9200")
  }

  @Test(arguments: [
    "fs.cosn.userinfo.secretId", "fs.cosn.userinfo.secretKey", "s3a.accessKeyId", "aws.secretKey",
    "fs.cos.access.key", "fs.cos.secret.key", "fs.oss.accessKeySecret", "goosefs.security.password",
    "some.credential.file", "x.session.token", "tencent.SECRETID",
  ])
  func recognisesSecrets(name: String) {
    #expect(Configuration.isSecret(name))
    #expect(Configuration.mask(name: name, value: "v") == "******")
  }

  @Test(arguments: ["fs.cosn.bucket.region", "goosefs.master.hostname", "fs.cos.app.id"])
  func leavesOrdinaryValuesAlone(name: String) {
    #expect(!Configuration.isSecret(name))
    #expect(Configuration.mask(name: name, value: "v") == "v")
  }

  @Test func ignoredKeysAreCollectedNotRejected() throws {
    let configuration = Configuration(properties: [
      "fs.cosn.impl": "org.apache.hadoop.fs.CosFileSystem",
      "goosefs.worker.block.annotator.class": "x.LRUAnnotator",
      "goosefs.user.block.write.location.policy.class": "x.Policy",
      "goosefs.no.such.key": "1",
      "log4j.configuration": "file:log4j.properties",
      "goosefs.master.hostname": "m0",
      "fs.cosn.bucket.region": "ap-guangzhou",
    ])
    try configuration.validate()
    #expect(configuration.ignoredKeys == [
      "fs.cosn.impl", "goosefs.no.such.key", "goosefs.user.block.write.location.policy.class",
      "goosefs.worker.block.annotator.class", "log4j.configuration",
    ])
  }
}
