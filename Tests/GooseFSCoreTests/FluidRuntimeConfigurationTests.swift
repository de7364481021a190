import Testing

@testable import GooseFSCore

/// The seed deployment (docs: seed-flow) exactly as Fluid renders it into GOOSEFS_JAVA_OPTS.
@Suite("Fluid GooseFSRuntime example")
struct FluidRuntimeConfigurationTests {
  static let javaOptions =
    "-Dgoosefs.master.hostname=slice1-master-0 -Dgoosefs.user.hostname=${GOOSEFS_CLIENT_HOSTNAME} -Dgoosefs.master.journal.type=EMBEDDED -Dgoosefs.master.journal.folder=/journal -Dgoosefs.worker.tieredstore.levels=1 -Dgoosefs.worker.tieredstore.level0.alias=MEM -Dgoosefs.worker.tieredstore.level0.dirs.mediumtype=MEM -Dgoosefs.worker.tieredstore.level0.dirs.path=/data -Dgoosefs.worker.tieredstore.level0.dirs.quota=5G -Dgoosefs.worker.tieredstore.level0.watermark.high.ratio=0.95 -Dgoosefs.worker.tieredstore.level0.watermark.low.ratio=0.7 -Dfs.cosn.bucket.region=ap-guangzhou -Dfs.cosn.impl=org.apache.hadoop.fs.CosFileSystem -Dfs.AbstractFileSystem.cosn.impl=org.apache.hadoop.fs.CosN -Dfs.cos.app.id=1250000000 -Dfs.cosn.userinfo.secretId=AKIDxxxx -Dfs.cosn.userinfo.secretKey=yyyy -Dgoosefs.job.worker.threadpool.size=22 -Dgoosefs.master.journal.type=UFS -Dgoosefs.user.block.size.bytes.default=128MB -Dgoosefs.user.metadata.cache.enabled=true -Dgoosefs.user.metadata.cache.expiration.time=2day -Dgoosefs.user.metrics.collection.enabled=false -Dgoosefs.user.streaming.data.timeout=5s -Xmx12G -XX:+UnlockExperimentalVMOptions -XX:ActiveProcessorCount=8 -Xms10G "

  func load(component: GooseFSComponent = .client, extra: [String: String] = [:]) throws -> Configuration {
    let home = try ConfigurationTestSupport.makeTemporaryDirectory()
    defer { ConfigurationTestSupport.remove(home) }
    let environment = ["GOOSEFS_JAVA_OPTS": Self.javaOptions, "GOOSEFS_HOME": home].merging(extra) { $1 }
    return try Configuration.load(component: component, environment: environment)
  }

  @Test func everyKeyParsesAndValidates() throws {
    let configuration = try load()
    try configuration.validate()
    #expect(configuration.value(PropertyKeys.masterHostname) == "slice1-master-0")
    #expect(try configuration.enumeration(PropertyKeys.masterJournalType) == "UFS")
    #expect(configuration.value(PropertyKeys.masterJournalFolder) == "/journal")
    #expect(try configuration.int(PropertyKeys.workerTieredstoreLevels) == 1)
    #expect(configuration.value(PropertyKeys.workerTieredstoreLevelAlias(0)) == "MEM")
    #expect(configuration.list(PropertyKeys.workerTieredstoreLevelDirsMediumtype(0)) == ["MEM"])
    #expect(configuration.list(PropertyKeys.workerTieredstoreLevelDirsPath(0)) == ["/data"])
    #expect(try configuration.list(PropertyKeys.workerTieredstoreLevelDirsQuota(0)).map { try ByteSize.parse($0) } == [5_368_709_120])
    #expect(try configuration.double(PropertyKeys.workerTieredstoreLevelWatermarkHighRatio(0)) == 0.95)
    #expect(try configuration.double(PropertyKeys.workerTieredstoreLevelWatermarkLowRatio(0)) == 0.7)
    #expect(try configuration.int(PropertyKeys.jobWorkerThreadpoolSize) == 22)
    #expect(try configuration.bytes(PropertyKeys.userBlockSizeBytesDefault) == 134_217_728)
    #expect(try configuration.bool(PropertyKeys.userMetadataCacheEnabled))
    #expect(try configuration.milliseconds(PropertyKeys.userMetadataCacheExpirationTime) == 172_800_000)
    #expect(try configuration.bool(PropertyKeys.userMetricsCollectionEnabled) == false)
    #expect(try configuration.milliseconds(PropertyKeys.userStreamingDataTimeout) == 5_000)
    #expect(configuration.source(named: PropertyKeys.masterJournalType.name) == .systemProperty)
  }

  @Test func undefinedClientHostnameLeavesUserHostnameUnset() throws {
    let configuration = try load()
    #expect(!configuration.isSet(PropertyKeys.userHostname))
    #expect(configuration.value(PropertyKeys.userHostname) == nil)
    #expect(configuration.string(PropertyKeys.userHostname) == "")
    let inFuse = try load(component: .fuse, extra: ["GOOSEFS_CLIENT_HOSTNAME": "10.1.2.3"])
    #expect(inFuse.value(PropertyKeys.userHostname) == "10.1.2.3")
  }

  @Test func credentialsBecomeRootMountOptionsAndClassNamesAreIgnored() throws {
    let configuration = try load()
    #expect(configuration.rootMountOptions == [
      "fs.cosn.bucket.region": "ap-guangzhou",
      "fs.cos.app.id": "1250000000",
      "fs.cosn.userinfo.secretId": "AKIDxxxx",
      "fs.cosn.userinfo.secretKey": "yyyy",
    ])
    #expect(configuration.ignoredKeys == ["fs.AbstractFileSystem.cosn.impl", "fs.cosn.impl"])
  }

  @Test func secretsAreMaskedInTheListing() throws {
    let configuration = try load()
    let printed = configuration.resolvedProperties.map { "\($0.name)=\(Configuration.mask(name: $0.name, value: $0.value))" }
    #expect(printed.contains("fs.cosn.userinfo.secretId=******"))
    #expect(printed.contains("fs.cosn.userinfo.secretKey=******"))
    #expect(printed.contains("fs.cosn.bucket.region=ap-guangzhou"))
    #expect(!printed.joined().contains("AKIDxxxx"))
  }
}
