/// Absolute GooseFS paths (`/a/b`). Accepts `goosefs://host:port/a/b` and `gfs://…` URIs as the
/// Alluxio shell does, keeping only the path.
public enum NamespacePath {
  public static let root = "/"
  /// Longest name a path component may have (POSIX NAME_MAX; FUSE enforces the same).
  public static let maxNameLength = 255

  /// Normalises a user-supplied path: strips a scheme and authority, collapses `//`, resolves `.`
  /// and `..`, drops a trailing `/`. Throws for relative paths and over-long names.
  public static func normalize(_ text: String) throws -> String {
    var path = Substring(text)
    for scheme in ["goosefs://", "gfs://", "alluxio://"] where path.hasPrefix(scheme) {
      path = path.dropFirst(scheme.count)
      guard let slash = path.firstIndex(of: "/") else { return root }
      path = path[slash...]
    }
    guard path.first == "/" else {
      throw GooseFSError(.invalidArgument, "Path \"\(text)\" is invalid: it must be absolute (start with /).")
    }
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..": _ = parts.popLast()
      default:
        guard part.utf8.count <= maxNameLength else {
          throw GooseFSError(.invalidArgument, "Path \"\(text)\" is invalid: a name is longer than \(maxNameLength) bytes.")
        }
        parts.append(part)
      }
    }
    return parts.isEmpty ? root : "/" + parts.joined(separator: "/")
  }

  /// Components of a normalised path (`/a/b` → ["a", "b"], `/` → []).
  public static func components(_ path: String) -> [String] {
    path.split(separator: "/").map(String.init)
  }

  public static func parent(_ path: String) -> String? {
    guard path != root else { return nil }
    let parts = components(path)
    return parts.count <= 1 ? root : "/" + parts.dropLast().joined(separator: "/")
  }

  public static func name(_ path: String) -> String {
    components(path).last ?? ""
  }

  public static func join(_ parent: String, _ name: String) -> String {
    parent == root ? "/" + name : parent + "/" + name
  }

  /// True when `path` is `ancestor` or lies below it.
  public static func isSelfOrDescendant(_ path: String, of ancestor: String) -> Bool {
    ancestor == root || path == ancestor || path.hasPrefix(ancestor + "/")
  }
}
