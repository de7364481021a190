/// How the adapter uses one store: page sizes, part sizes, concurrency and time limits.
public struct ObjectStoreTuning: Sendable, Equatable {
  /// How sequential reads of large objects are served (see docs/object-stores.md for the
  /// measurements behind the default).
  public enum ReadStrategy: String, Sendable, CaseIterable {
    /// Every read is one ranged GET of exactly the bytes asked for.
    case ranged
    /// Once reads turn sequential, one GET stays open from the current offset to the end of the
    /// object and successive reads are served from it.
    case streaming
    /// Once reads turn sequential, `readParallelism` ranged GETs of `readPartSize` run ahead.
    case parallel
  }

  /// Keys per ListObjectsV2 page (S3 caps it at 1000).
  public var listingLength: Int = 1000
  /// Multipart part size; a file smaller than this is sent with one PUT.
  public var partSize: Int64 = 64 << 20
  /// Parts uploaded at once by one output stream; memory is bounded by (this + 1) × partSize.
  public var uploadParallelism: Int = 4
  /// Copies and deletes in flight for directory operations.
  public var serviceParallelism: Int = 20
  public var readStrategy: ReadStrategy = .streaming
  public var readParallelism: Int = 8
  public var readPartSize: Int64 = 8 << 20
  /// Whole-exchange limit for buffered requests.
  public var requestTimeout: Duration = .seconds(60)
  /// Longest time without progress on a connection (also the streaming GET idle limit).
  public var socketTimeout: Duration = .seconds(50)
  public var connectTimeout: Duration = .seconds(10)
  public var maxConnections: Int = 40
  /// Create markers for missing ancestors in `createDirectory(createParents: true)`.
  public var breadcrumbs: Bool = true
  /// Leave parents implicit when `create(createParents: true)` writes a file.
  public var skipParentDirectoryCreation: Bool = true
  /// Reported for every file and directory (object stores keep no POSIX metadata).
  public var mode: UInt16 = 0o700
  public var owner: String = ""
  public var group: String = ""

  public init() {}
}
