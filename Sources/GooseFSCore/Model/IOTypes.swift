/// `goosefs.user.file.writetype.default` and `fs copyFromLocal`'s write types. What `close()`
/// success guarantees for each is in docs/write-types.md.
public enum WriteType: String, Sendable, CaseIterable {
  /// Cached on workers only; never written to the under store (the cache is the only copy).
  case mustCache = "MUST_CACHE"
  /// Deprecated in Alluxio 2.x, where it behaves as MUST_CACHE; so does it here.
  case tryCache = "TRY_CACHE"
  /// Cached and written to the under store before `close()` returns.
  case cacheThrough = "CACHE_THROUGH"
  /// Written to the under store only.
  case through = "THROUGH"
  /// Cached now; a worker writes it to the under store after `close()` (scheduled by the master).
  case asyncThrough = "ASYNC_THROUGH"

  public init?(userText: String) { self.init(rawValue: userText.uppercased()) }

  /// Whether the under store has the file when `close()` returns.
  public var persistsSynchronously: Bool { self == .cacheThrough || self == .through }
  public var caches: Bool { self != .through }
}

/// `goosefs.user.file.readtype.default`.
public enum ReadType: String, Sendable, CaseIterable {
  case noCache = "NO_CACHE"
  case cache = "CACHE"
  case cachePromote = "CACHE_PROMOTE"

  public init?(userText: String) { self.init(rawValue: userText.uppercased()) }
}
