/// The worker's tiered store. Per-level keys are templated on the level number, so
/// `goosefs.worker.tieredstore.level7.alias` is as known as level 0; `all` lists levels 0…2.
extension PropertyKeys {
  public static let workerTieredstoreLevels = PropertyKey(
    "goosefs.worker.tieredstore.levels", default: "1", .integer, "Number of storage tiers (1…3).")
  public static let workerTieredstoreFreeAheadBytes = PropertyKey(
    "goosefs.worker.tieredstore.free.ahead.bytes", default: "0", .byteSize,
    "Extra space freed when a tier must evict.")

  private static let levelPrefix = "goosefs.worker.tieredstore.level"
  /// Alluxio's defaults for the conventional three tiers; deeper levels have none.
  private static let defaultAliases = ["MEM", "SSD", "HDD"]
  private static let defaultPaths = ["/mnt/ramdisk", "/mnt/ssd", "/mnt/hdd"]

  /// Storage alias of tier `level` (MEM, SSD, HDD).
  public static func workerTieredstoreLevelAlias(_ level: Int) -> PropertyKey { tierKey(level, ".alias") }
  /// Comma-separated directories of tier `level`.
  public static func workerTieredstoreLevelDirsPath(_ level: Int) -> PropertyKey { tierKey(level, ".dirs.path") }
  /// Medium type of each directory of tier `level`.
  public static func workerTieredstoreLevelDirsMediumtype(_ level: Int) -> PropertyKey {
    tierKey(level, ".dirs.mediumtype")
  }
  /// Capacity of each directory of tier `level`.
  public static func workerTieredstoreLevelDirsQuota(_ level: Int) -> PropertyKey { tierKey(level, ".dirs.quota") }
  /// Usage ratio at which tier `level` starts evicting.
  public static func workerTieredstoreLevelWatermarkHighRatio(_ level: Int) -> PropertyKey {
    tierKey(level, ".watermark.high.ratio")
  }
  /// Usage ratio eviction brings tier `level` back down to.
  public static func workerTieredstoreLevelWatermarkLowRatio(_ level: Int) -> PropertyKey {
    tierKey(level, ".watermark.low.ratio")
  }

  private static func tierKey(_ level: Int, _ suffix: String) -> PropertyKey {
    // Every suffix used above has a template, so the force-unwrap cannot fail.
    tieredStoreTemplates.first { $0.suffix == suffix }!.make(String(level))
  }

  static let tieredStoreTemplates: [PropertyKeyTemplate] = [
    tierTemplate(".alias", .string) { level in
      (level < defaultAliases.count ? defaultAliases[level] : nil, "Storage alias of tier \(level) (MEM, SSD or HDD).")
    },
    tierTemplate(".dirs.path", .list(.string)) { level in
      (level < defaultPaths.count ? defaultPaths[level] : nil, "Comma-separated directories of tier \(level).")
    },
    tierTemplate(".dirs.mediumtype", .list(.string)) { level in
      ("${\(levelPrefix)\(level).alias}", "Medium type of each directory of tier \(level); defaults to the tier alias.")
    },
    tierTemplate(".dirs.quota", .list(.byteSize)) { level in
      (level == 0 ? "${goosefs.worker.ramdisk.size}" : nil, "Capacity of each directory of tier \(level), such as 5G.")
    },
    tierTemplate(".watermark.high.ratio", .double) { level in
      ("0.95", "Usage ratio at which tier \(level) starts evicting.")
    },
    tierTemplate(".watermark.low.ratio", .double) { level in
      ("0.7", "Usage ratio that eviction brings tier \(level) back down to.")
    },
  ]

  private static func tierTemplate(
    _ suffix: String,
    _ type: PropertyType,
    _ details: @escaping @Sendable (Int) -> (defaultValue: String?, description: String)
  ) -> PropertyKeyTemplate {
    PropertyKeyTemplate(prefix: levelPrefix, suffix: suffix, segment: .number) { variable in
      let level = Int(variable) ?? Int.max
      let (defaultValue, description) = details(level)
      return PropertyKey(levelPrefix + variable + suffix, default: defaultValue, type, description)
    }
  }

  static let tieredStoreKeys: [PropertyKey] =
    [workerTieredstoreLevels, workerTieredstoreFreeAheadBytes]
    + (0...2).flatMap { level in tieredStoreTemplates.map { $0.make(String(level)) } }
}
