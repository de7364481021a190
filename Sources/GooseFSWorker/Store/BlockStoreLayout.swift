import GooseFSCore

/// Where and how much the worker may cache: tiers top (fastest) first, each with its directories.
/// Built from configuration by `from(_:)`, or directly in tests.
public struct BlockStoreLayout: Sendable, Equatable {
  public struct Directory: Sendable, Equatable {
    /// The configured directory; block files live in `<path>/<dataFolder>/`.
    public var path: String
    /// MEM, SSD or HDD. Decides whether O_DIRECT may be used (never on MEM).
    public var mediumType: String
    public var quotaBytes: Int64

    public init(path: String, mediumType: String, quotaBytes: Int64) {
      self.path = path
      self.mediumType = mediumType
      self.quotaBytes = quotaBytes
    }
  }

  public struct Tier: Sendable, Equatable {
    public var alias: String
    public var directories: [Directory]
    /// Eviction starts when used > high × capacity…
    public var highWatermarkRatio: Double
    /// …and stops at used ≤ low × capacity.
    public var lowWatermarkRatio: Double

    public init(alias: String, directories: [Directory], highWatermarkRatio: Double = 0.95, lowWatermarkRatio: Double = 0.7) {
      self.alias = alias
      self.directories = directories
      self.highWatermarkRatio = highWatermarkRatio
      self.lowWatermarkRatio = lowWatermarkRatio
    }

    public var capacityBytes: Int64 { directories.reduce(0) { $0 + $1.quotaBytes } }
  }

  public var tiers: [Tier]
  /// Folder under each directory holding block files (`goosefs.worker.data.folder`).
  public var dataFolder: String
  /// Folder under `dataFolder` holding blocks being written (`goosefs.worker.data.folder.tmp`).
  public var temporaryFolder: String
  /// Extra bytes freed whenever a write has to evict (`goosefs.worker.tieredstore.free.ahead.bytes`),
  /// so that a stream of writes does not evict once per write.
  public var freeAheadBytes: Int64

  public init(tiers: [Tier], dataFolder: String = "goosefsworker", temporaryFolder: String = ".tmp_blocks", freeAheadBytes: Int64 = 0) {
    self.tiers = tiers
    self.dataFolder = dataFolder
    self.temporaryFolder = temporaryFolder
    self.freeAheadBytes = freeAheadBytes
  }

  /// A single-tier or multi-tier layout is usable only with at least one directory per tier,
  /// positive quotas, sane watermarks and no directory used twice.
  public func validate() throws {
    guard !tiers.isEmpty else { throw GooseFSError(.invalidArgument, "The block store needs at least one tier") }
    var aliases = Set<String>()
    var paths = Set<String>()
    for (level, tier) in tiers.enumerated() {
      let name = "tier \(level) (\(tier.alias))"
      guard !tier.alias.isEmpty else { throw GooseFSError(.invalidArgument, "Tier \(level) has no alias") }
      guard aliases.insert(tier.alias).inserted else {
        throw GooseFSError(.invalidArgument, "Tier alias \(tier.alias) is used by more than one tier")
      }
      guard !tier.directories.isEmpty else { throw GooseFSError(.invalidArgument, "\(name) has no directories") }
      guard (0...1).contains(tier.lowWatermarkRatio), tier.highWatermarkRatio > 0, tier.highWatermarkRatio <= 1 else {
        throw GooseFSError(
          .invalidArgument,
          "\(name) has watermarks high=\(tier.highWatermarkRatio) low=\(tier.lowWatermarkRatio): both must be ratios in (0, 1]")
      }
      guard tier.lowWatermarkRatio <= tier.highWatermarkRatio else {
        throw GooseFSError(
          .invalidArgument,
          "\(name) has a low watermark (\(tier.lowWatermarkRatio)) above its high watermark (\(tier.highWatermarkRatio))")
      }
      for directory in tier.directories {
        guard directory.path.hasPrefix("/") else {
          throw GooseFSError(.invalidArgument, "\(name) directory \"\(directory.path)\" is not an absolute path")
        }
        guard directory.quotaBytes > 0 else {
          throw GooseFSError(.invalidArgument, "\(name) directory \(directory.path) has quota \(directory.quotaBytes): it must be positive")
        }
        guard paths.insert(Self.normalized(directory.path)).inserted else {
          throw GooseFSError(.invalidArgument, "Directory \(directory.path) is configured more than once")
        }
      }
    }
    guard !dataFolder.isEmpty, !temporaryFolder.isEmpty, !temporaryFolder.contains("/") else {
      throw GooseFSError(
        .invalidArgument, "The data folder (\"\(dataFolder)\") and temporary folder (\"\(temporaryFolder)\") must be non-empty names")
    }
  }

  static func normalized(_ path: String) -> String {
    var trimmed = path
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    return trimmed
  }
}
