import Testing

@testable import GooseFSCore

@Suite("Resolved values")
struct ConfigurationValuesTests {
  @Test func propertyReferencesResolveRecursively() {
    let configuration = Configuration(properties: [
      "goosefs.home": "/opt/g",
      "goosefs.work.dir": "${goosefs.home}/work",
      "goosefs.master.mount.table.root.ufs": "${goosefs.work.dir}/underFSStorage",
    ])
    #expect(configuration.value(PropertyKeys.masterMountTableRootUfs) == "/opt/g/work/underFSStorage")
    #expect(configuration.value(PropertyKeys.logsDir) == "/opt/g/work/logs")
  }

  @Test func unknownReferencesFallBackToTheEnvironmentThenToEmpty() {
    let configuration = Configuration(
      properties: ["goosefs.worker.hostname": "${NODE_IP}", "goosefs.user.hostname": "${MISSING}", "x": "a${MISSING}b"],
      environment: ["NODE_IP": "192.168.0.4"])
    #expect(configuration.value(PropertyKeys.workerHostname) == "192.168.0.4")
    #expect(configuration.value(PropertyKeys.userHostname) == nil)
    #expect(!configuration.isSet(PropertyKeys.userHostname))
    #expect(configuration.value(named: "x") == "ab")
  }

  @Test func cyclesResolveToEmptyInsteadOfHanging() {
    let configuration = Configuration(properties: ["a": "${b}/x", "b": "${a}/y", "self": "${self}"])
    #expect(configuration.value(named: "a") == "/y/x")
    #expect(configuration.value(named: "self") == nil)
  }

  @Test func unterminatedReferenceStaysLiteral() {
    let configuration = Configuration(properties: ["a": "x${goosefs.home"])
    #expect(configuration.value(named: "a") == "x${goosefs.home")
  }

  @Test func listsSkipEmptyEntries() {
    let configuration = Configuration(properties: [
      "goosefs.master.embedded.journal.addresses": ",slice1-master-0:19200, slice1-master-1:19200,,",
    ])
    #expect(configuration.list(PropertyKeys.masterEmbeddedJournalAddresses) == [
      "slice1-master-0:19200", "slice1-master-1:19200",
    ])
    #expect(configuration.list(PropertyKeys.masterRpcAddresses) == [])
  }

  @Test func templatedTierKeysHaveDefaultsForAnyLevel() {
    let configuration = Configuration(properties: ["goosefs.worker.tieredstore.level1.alias": "NVME"])
    #expect(configuration.value(PropertyKeys.workerTieredstoreLevelAlias(2)) == "HDD")
    #expect(configuration.value(PropertyKeys.workerTieredstoreLevelDirsMediumtype(1)) == "NVME")
    #expect(configuration.value(PropertyKeys.workerTieredstoreLevelDirsQuota(0)) == "1GB")
    #expect(configuration.value(PropertyKeys.workerTieredstoreLevelDirsQuota(1)) == nil)
    #expect(PropertyKeys.find("goosefs.worker.tieredstore.level7.watermark.low.ratio")?.defaultValue == "0.7")
    #expect(PropertyKeys.find("goosefs.worker.tieredstore.levelX.alias") == nil)
  }

  @Test func typedGettersParseAndReportBadValues() throws {
    let configuration = Configuration(properties: [
      "goosefs.master.rpc.port": "x9200",
      "goosefs.master.journal.type": "embedded",
      "goosefs.security.authorization.permission.umask": "027",
    ])
    #expect(try configuration.enumeration(PropertyKeys.masterJournalType) == "EMBEDDED")
    #expect(try configuration.octalMode(PropertyKeys.securityAuthorizationPermissionUmask) == 0o027)
    #expect(try configuration.milliseconds(PropertyKeys.masterWorkerTimeout) == 300_000)
    #expect(try configuration.milliseconds(PropertyKeys.userFileMetadataSyncInterval) == -1)
    #expect(throws: GooseFSError(.invalidArgument, "Invalid value \"x9200\" for goosefs.master.rpc.port: expected an integer such as 9200")) {
      try configuration.int(PropertyKeys.masterRpcPort)
    }
    #expect(throws: GooseFSError.self) { try configuration.int(PropertyKeys.masterMetadataSyncExecutorPoolSize) }
  }

  @Test func prefixQueriesAndRootMountOptions() {
    let configuration = Configuration(properties: [
      "goosefs.master.mount.table.root.option.fs.cosn.userinfo.secretId": "from-option",
      "goosefs.master.mount.table.root.option.fs.cosn.impl": "org.apache.hadoop.fs.CosFileSystem",
      "fs.cosn.userinfo.secretId": "from-property",
      "s3a.accessKeyId": "ak",
      "aws.secretKey": "sk",
      "goosefs.master.mount.table.root.ufs": "cosn://bucket-1250000000/",
    ])
    #expect(configuration.rootMountOptions == [
      "fs.cosn.userinfo.secretId": "from-option", "s3a.accessKeyId": "ak", "aws.secretKey": "sk",
    ])
    #expect(configuration.properties(withPrefix: "goosefs.master.mount.table.root.").keys.sorted() == [
      "goosefs.master.mount.table.root.option.fs.cosn.impl",
      "goosefs.master.mount.table.root.option.fs.cosn.userinfo.secretId",
      "goosefs.master.mount.table.root.readonly",
      "goosefs.master.mount.table.root.shared",
      "goosefs.master.mount.table.root.ufs",
    ])
  }

  @Test func resolvedPropertiesAreSortedAndIncludeDefaults() {
    let configuration = Configuration(properties: ["goosefs.master.hostname": "m0"])
    let names = configuration.resolvedProperties.map(\.name)
    #expect(names == names.sorted())
    #expect(configuration.resolvedProperties.contains { $0 == ("goosefs.master.hostname", "m0", .systemProperty) })
    #expect(configuration.resolvedProperties.contains { $0 == ("goosefs.master.rpc.port", "9200", .defaultValue) })
    #expect(!names.contains("goosefs.user.hostname"))
  }
}
