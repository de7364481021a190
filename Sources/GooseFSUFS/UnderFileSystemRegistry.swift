import GooseFSCore

/// Chooses the adapter for a mount location by its scheme.
///
/// A value, not a global: each owner (master, tests) holds its own copy, and adapters living in
/// other modules add themselves with `register` before use — no shared mutable state.
public struct UnderFileSystemRegistry: Sendable {
  /// Builds an adapter for a parsed location. Options may hold credentials: factories must keep
  /// them out of error messages and descriptions.
  public typealias Factory = @Sendable (UFSURI, [String: String]) throws -> any UnderFileSystem

  private var factories: [String: Factory] = [:]

  /// An empty registry.
  public init() {}

  /// Local folders (bare paths and `file://`), S3 (`s3://`, `s3a://`) and Tencent COS
  /// (`cosn://`, `cos://`) buckets.
  public static var standard: UnderFileSystemRegistry {
    var registry = UnderFileSystemRegistry()
    let local: Factory = { uri, _ in try LocalUnderFileSystem(uri: uri) }
    registry.register(scheme: "", factory: local)
    registry.register(scheme: "file", factory: local)
    let objectStore: Factory = { uri, options in try ObjectStoreUnderFileSystem(uri: uri, options: options) }
    for scheme in ["s3", "s3a", "cosn", "cos"] {
      registry.register(scheme: scheme, factory: objectStore)
    }
    return registry
  }

  /// Adds or replaces the factory for a scheme (case-insensitive; "" is a bare local path).
  public mutating func register(scheme: String, factory: @escaping Factory) {
    factories[scheme.lowercased()] = factory
  }

  /// The registered schemes, sorted.
  public var schemes: [String] { factories.keys.sorted() }

  /// Parses `uri` and builds its adapter. Unknown schemes throw `.invalidArgument`.
  public func create(uri: String, options: [String: String] = [:]) throws -> any UnderFileSystem {
    let parsed = try UFSURI(uri)
    guard let factory = factories[parsed.scheme] else {
      let known = schemes.filter { !$0.isEmpty }.map { "\($0)://" }.joined(separator: ", ")
      throw GooseFSError(
        .invalidArgument,
        "Unknown under file system scheme \"\(parsed.scheme)\" in \"\(parsed)\"; supported: local paths, \(known).")
    }
    return try factory(parsed, options)
  }

  /// `standard.create(uri:options:)`.
  public static func create(uri: String, options: [String: String] = [:]) throws -> any UnderFileSystem {
    try standard.create(uri: uri, options: options)
  }
}
