import GooseFSCore

extension BlockStoreLayout {
  /// Reads `goosefs.worker.tieredstore.*` and validates it. Errors name the key at fault.
  ///
  /// Per level N (0 is the top tier): `levelN.alias`; `levelN.dirs.path` (comma list);
  /// `levelN.dirs.mediumtype` (one value for all directories or one per directory; defaults to the
  /// alias); `levelN.dirs.quota` (one size for all directories or one per directory);
  /// `levelN.watermark.high.ratio` / `.low.ratio`.
  public static func from(_ configuration: Configuration) throws -> BlockStoreLayout {
    let levels = try configuration.int(PropertyKeys.workerTieredstoreLevels)
    guard levels >= 1 else {
      throw GooseFSError(
        .invalidArgument, "\(PropertyKeys.workerTieredstoreLevels.name) is \(levels): the worker needs at least one tier")
    }
    let tiers = try (0..<levels).map { try tier(level: $0, configuration) }
    let layout = BlockStoreLayout(
      tiers: tiers,
      dataFolder: folderName(configuration.string(PropertyKeys.workerDataFolder)),
      temporaryFolder: folderName(configuration.string(PropertyKeys.workerDataFolderTmp)),
      freeAheadBytes: try configuration.bytes(PropertyKeys.workerTieredstoreFreeAheadBytes))
    try layout.validate()
    return layout
  }

  private static func tier(level: Int, _ configuration: Configuration) throws -> Tier {
    let aliasKey = PropertyKeys.workerTieredstoreLevelAlias(level)
    let pathKey = PropertyKeys.workerTieredstoreLevelDirsPath(level)
    let mediumKey = PropertyKeys.workerTieredstoreLevelDirsMediumtype(level)
    let quotaKey = PropertyKeys.workerTieredstoreLevelDirsQuota(level)
    let highKey = PropertyKeys.workerTieredstoreLevelWatermarkHighRatio(level)
    let lowKey = PropertyKeys.workerTieredstoreLevelWatermarkLowRatio(level)

    let alias = configuration.string(aliasKey).uppercased()
    guard !alias.isEmpty else { throw missing(aliasKey, "the tier's alias (MEM, SSD or HDD)") }
    let paths = configuration.list(pathKey)
    guard !paths.isEmpty else { throw missing(pathKey, "the tier's directories") }
    for path in paths where !path.hasPrefix("/") {
      throw GooseFSError(.invalidArgument, "\(pathKey.name) lists \"\(path)\": directories must be absolute paths")
    }

    let mediums = configuration.list(mediumKey).map { $0.uppercased() }
    let mediumTypes = try perDirectory(mediums.isEmpty ? [alias] : mediums, key: mediumKey, pathKey: pathKey, count: paths.count)

    let quotaTexts = configuration.list(quotaKey)
    guard !quotaTexts.isEmpty else { throw missing(quotaKey, "the capacity of each directory, such as 10GB") }
    let quotas = try perDirectory(quotaTexts, key: quotaKey, pathKey: pathKey, count: paths.count).map { text in
      let bytes: Int64
      do {
        bytes = try ByteSize.parse(text)
      } catch {
        throw GooseFSError(.invalidArgument, "\(quotaKey.name) has \"\(text)\": expected a size such as 10GB")
      }
      guard bytes > 0 else { throw GooseFSError(.invalidArgument, "\(quotaKey.name) has \"\(text)\": a quota must be positive") }
      return bytes
    }

    let high = try configuration.double(highKey)
    let low = try configuration.double(lowKey)
    guard high > 0, high <= 1 else {
      throw GooseFSError(.invalidArgument, "\(highKey.name) is \(high): expected a ratio above 0 and at most 1")
    }
    guard low >= 0, low <= 1 else {
      throw GooseFSError(.invalidArgument, "\(lowKey.name) is \(low): expected a ratio from 0 to 1")
    }
    guard low <= high else {
      throw GooseFSError(.invalidArgument, "\(lowKey.name) (\(low)) is above \(highKey.name) (\(high))")
    }

    let directories = paths.indices.map { index in
      Directory(path: paths[index], mediumType: mediumTypes[index], quotaBytes: quotas[index])
    }
    return Tier(alias: alias, directories: directories, highWatermarkRatio: high, lowWatermarkRatio: low)
  }

  /// One value for every directory, or exactly one per directory.
  private static func perDirectory(_ values: [String], key: PropertyKey, pathKey: PropertyKey, count: Int) throws -> [String] {
    if values.count == count { return values }
    if values.count == 1 { return Array(repeating: values[0], count: count) }
    throw GooseFSError(
      .invalidArgument,
      "\(key.name) has \(values.count) values but \(pathKey.name) has \(count) directories: give one value for all or one per directory")
  }

  private static func missing(_ key: PropertyKey, _ what: String) -> GooseFSError {
    GooseFSError(.invalidArgument, "\(key.name) is not set: it must give \(what)")
  }

  /// `/goosefsworker/` as configured becomes the folder name `goosefsworker`.
  private static func folderName(_ text: String) -> String {
    text.split(separator: "/").joined(separator: "/")
  }
}
