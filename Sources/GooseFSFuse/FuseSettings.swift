import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

/// What the daemon needs of the mount options and the configuration, checked once at start-up.
public struct FuseSettings: Sendable {
  public var mountOptions: FuseMountOptions
  public var attributeTimeout: Double
  public var entryTimeout: Double
  public var stagingFolder: String
  public var metadataCacheEnabled: Bool
  public var metadataCacheMaxSize: Int
  public var metadataCacheLifetime: Duration
  public var translateUsers: Bool
  /// Threads reading /dev/fuse: each only hands the request over, so a few suffice (the
  /// ceilings measured with the null FUSE did not improve beyond 4–8).
  public var threads: UInt32 = 8
  /// The mount's read-ahead (bdi read_ahead_kb) when `max_readahead` is not given: 1 MiB doubled
  /// buffered reads on this machine; 16 MiB was slower (docs/performance.md, FUSE ceilings).
  public var readAheadKB: Int? = 1024
  /// `goosefs.fuse.max.background`: asynchronous requests (read-ahead, async direct I/O) the
  /// kernel keeps outstanding; the congestion threshold is 3/4 of it.
  public var maxBackground: Int
  /// `goosefs.fuse.requests.max`: requests the daemon works on at once.
  public var requestsMax: Int
  /// `goosefs.fuse.handle.queue.max`: requests waiting or running on one open handle.
  public var handleQueueMax: Int
  /// `goosefs.fuse.write.behind.enabled`: closes complete the file on the master afterwards.
  public var writeBehind: Bool

  /// Attribute and entry timeouts default to 1 s, as in Alluxio's FUSE.
  public init(configuration: Configuration, options: FuseMountOptions) throws {
    mountOptions = options
    attributeTimeout = options.attrTimeout ?? 1
    entryTimeout = options.entryTimeout ?? 1
    let folders = configuration.list(PropertyKeys.tmpDirs)
    stagingFolder = folders.first ?? "/tmp"
    metadataCacheEnabled = try configuration.bool(PropertyKeys.userMetadataCacheEnabled)
    metadataCacheMaxSize = try configuration.int(PropertyKeys.userMetadataCacheMaxSize)
    metadataCacheLifetime = .milliseconds(try configuration.milliseconds(PropertyKeys.userMetadataCacheExpirationTime))
    translateUsers = try configuration.bool(PropertyKeys.fuseUserGroupTranslationEnabled)
    if let readAhead = options.maxReadahead { readAheadKB = readAhead / 1024 }
    maxBackground = try Self.positive(configuration, PropertyKeys.fuseMaxBackground, atMost: Int(UInt16.max))
    requestsMax = try Self.positive(configuration, PropertyKeys.fuseRequestsMax, atMost: 1 << 20)
    handleQueueMax = try Self.positive(configuration, PropertyKeys.fuseHandleQueueMax, atMost: 1 << 20)
    writeBehind = try configuration.bool(PropertyKeys.fuseWriteBehindEnabled)
  }

  /// A limit must be at least 1 (0 would stop the mount); the kernel field max_background is 16 bits.
  private static func positive(_ configuration: Configuration, _ key: PropertyKey, atMost ceiling: Int) throws -> Int {
    let value = try configuration.int(key)
    guard (1...ceiling).contains(value) else {
      throw GooseFSError(.invalidArgument, "\(key.name) must be between 1 and \(ceiling), not \(value).")
    }
    return value
  }
}
