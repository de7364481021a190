import GooseFSCore

/// Path arguments as Alluxio's AlluxioURI accepts them: `/p`, or `gfs://host:port/p`,
/// `goosefs://...`, `alluxio://...`. The master only wants the normalised path.
enum ShellPath {
  static func normalize(_ argument: String) throws -> String {
    try NamespacePath.normalize(argument)
  }

  /// The last path component ("" for the root).
  static func basename(_ path: String) -> String { NamespacePath.name(path) }

  static func join(_ parent: String, _ child: String) -> String { NamespacePath.join(parent, child) }
}
