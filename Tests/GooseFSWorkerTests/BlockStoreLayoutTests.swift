import GooseFSCore
import Testing

@testable import GooseFSWorker

/// Configuration → layout, and the errors an operator sees for a bad one.
@Suite(.timeLimit(.minutes(1))) struct BlockStoreLayoutTests {
  let prefix = "goosefs.worker.tieredstore.level"

  func layout(_ properties: [String: String]) throws -> BlockStoreLayout {
    try BlockStoreLayout.from(Configuration(properties: properties))
  }

  func error(_ properties: [String: String]) -> GooseFSError? {
    #expect(throws: GooseFSError.self) { try layout(properties) }
  }

  @Test func twoTiersWithSeveralDirectories() throws {
    let result = try layout([
      "goosefs.worker.tieredstore.levels": "2",
      "\(prefix)0.alias": "mem",
      "\(prefix)0.dirs.path": "/mnt/ramdisk",
      "\(prefix)0.dirs.quota": "2GB",
      "\(prefix)1.alias": "SSD",
      "\(prefix)1.dirs.path": "/ssd/a, /ssd/b",
      "\(prefix)1.dirs.mediumtype": "SSD,HDD",
      "\(prefix)1.dirs.quota": "100GB",
      "\(prefix)1.watermark.high.ratio": "0.9",
      "\(prefix)1.watermark.low.ratio": "0.5",
      "goosefs.worker.tieredstore.free.ahead.bytes": "1MB",
    ])
    #expect(result.tiers.map(\.alias) == ["MEM", "SSD"])
    #expect(result.tiers[0].directories == [.init(path: "/mnt/ramdisk", mediumType: "MEM", quotaBytes: 2 << 30)])
    #expect(result.tiers[1].directories.map(\.path) == ["/ssd/a", "/ssd/b"])
    #expect(result.tiers[1].directories.map(\.mediumType) == ["SSD", "HDD"])
    #expect(result.tiers[1].directories.map(\.quotaBytes) == [100 << 30, 100 << 30])
    #expect(result.tiers[1].capacityBytes == 200 << 30)
    #expect(result.tiers[0].highWatermarkRatio == 0.95 && result.tiers[0].lowWatermarkRatio == 0.7)
    #expect(result.tiers[1].highWatermarkRatio == 0.9 && result.tiers[1].lowWatermarkRatio == 0.5)
    #expect(result.dataFolder == "goosefsworker")
    #expect(result.temporaryFolder == ".tmp_blocks")
    #expect(result.freeAheadBytes == 1 << 20)
  }

  @Test func defaultsGiveOneMemoryTierOfTheRamdiskSize() throws {
    let result = try layout(["goosefs.worker.ramdisk.size": "512MB"])
    #expect(result.tiers.count == 1)
    #expect(result.tiers[0].directories == [.init(path: "/mnt/ramdisk", mediumType: "MEM", quotaBytes: 512 << 20)])
  }

  @Test func missingQuotaNamesTheKey() {
    let failure = error(["goosefs.worker.tieredstore.levels": "2", "\(prefix)1.dirs.path": "/ssd"])
    #expect(failure?.code == .invalidArgument)
    #expect(failure?.message.contains("\(prefix)1.dirs.quota is not set") == true)
  }

  @Test func missingPathNamesTheKey() {
    // Levels 0…2 have default paths; level 3 has none.
    let failure = error([
      "goosefs.worker.tieredstore.levels": "4",
      "\(prefix)1.dirs.quota": "1GB", "\(prefix)2.dirs.quota": "1GB",
      "\(prefix)3.alias": "ARCHIVE", "\(prefix)3.dirs.quota": "1GB",
    ])
    #expect(failure?.message.contains("\(prefix)3.dirs.path is not set") == true)
  }

  @Test func quotaCountMustMatchTheDirectories() {
    let failure = error(["\(prefix)0.dirs.path": "/a,/b,/c", "\(prefix)0.dirs.quota": "1GB,2GB"])
    #expect(failure?.message.contains("\(prefix)0.dirs.quota has 2 values but \(prefix)0.dirs.path has 3 directories") == true)
  }

  @Test func mediumTypeCountMustMatchTheDirectories() {
    let failure = error(["\(prefix)0.dirs.path": "/a,/b,/c", "\(prefix)0.dirs.mediumtype": "MEM,SSD"])
    #expect(failure?.message.contains("\(prefix)0.dirs.mediumtype has 2 values") == true)
  }

  @Test func lowWatermarkAboveHighIsRefused() {
    let failure = error(["\(prefix)0.watermark.high.ratio": "0.6", "\(prefix)0.watermark.low.ratio": "0.8"])
    #expect(failure?.message.contains("\(prefix)0.watermark.low.ratio (0.8) is above \(prefix)0.watermark.high.ratio (0.6)") == true)
  }

  @Test func ratiosMustBeRatios() {
    #expect(error(["\(prefix)0.watermark.high.ratio": "1.5"])?.message.contains("\(prefix)0.watermark.high.ratio is 1.5") == true)
    #expect(error(["\(prefix)0.watermark.low.ratio": "-0.1"])?.message.contains("\(prefix)0.watermark.low.ratio is -0.1") == true)
    #expect(error(["\(prefix)0.watermark.high.ratio": "lots"])?.message.contains("\(prefix)0.watermark.high.ratio") == true)
  }

  @Test func badQuotasAreRefused() {
    #expect(error(["\(prefix)0.dirs.quota": "lots"])?.message.contains("\(prefix)0.dirs.quota has \"lots\"") == true)
    #expect(error(["\(prefix)0.dirs.quota": "0"])?.message.contains("must be positive") == true)
  }

  @Test func pathsMustBeAbsoluteAndDistinct() {
    #expect(error(["\(prefix)0.dirs.path": "ramdisk"])?.message.contains("must be absolute") == true)
    let duplicate = error([
      "goosefs.worker.tieredstore.levels": "2",
      "\(prefix)0.dirs.path": "/data/x", "\(prefix)1.dirs.path": "/data/x/", "\(prefix)1.dirs.quota": "1GB",
    ])
    #expect(duplicate?.message.contains("/data/x/ is configured more than once") == true)
  }

  @Test func levelsMustBePositiveAndAliasesDistinct() {
    #expect(error(["goosefs.worker.tieredstore.levels": "0"])?.message.contains("at least one tier") == true)
    let twice = error([
      "goosefs.worker.tieredstore.levels": "2", "\(prefix)1.alias": "MEM", "\(prefix)1.dirs.quota": "1GB",
    ])
    #expect(twice?.message.contains("Tier alias MEM is used by more than one tier") == true)
  }
}
