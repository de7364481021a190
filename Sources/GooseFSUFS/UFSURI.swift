import GooseFSCore

/// A location in an under file system: `/abs/path`, `file:///abs/path` or `scheme://authority/path`
/// (`s3://bucket/a/b`, `cosn://bucket-1250000000/prefix/`).
///
/// The path is always absolute and normalised (no empty or `.` segments, no trailing slash except
/// for the root), so two spellings of one location compare equal and can be used as dictionary keys.
public struct UFSURI: Sendable, Hashable, CustomStringConvertible {
  /// Lower-cased scheme; empty for a bare local path.
  public let scheme: String
  /// Host or bucket; empty for local paths.
  public let authority: String
  /// Absolute, normalised path; `/` for the root of the authority.
  public let path: String

  public init(_ string: String) throws {
    guard !string.isEmpty else {
      throw GooseFSError(.invalidArgument, "An under file system location must not be empty.")
    }
    var scheme = ""
    var authority = ""
    var rest = Substring(string)
    if let schemeEnd = Self.schemeEnd(in: rest) {
      scheme = rest[rest.startIndex..<schemeEnd].lowercased()
      rest = rest[rest.index(after: schemeEnd)...]
      // `scheme://authority/path`; Hadoop also accepts `scheme:/path` with no authority.
      if rest.hasPrefix("//") {
        rest = rest.dropFirst(2)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        authority = String(rest[rest.startIndex..<authorityEnd])
        rest = rest[authorityEnd...]
      }
    }
    // Credentials embedded as `user:secret@bucket` would leak into logs and error messages, which
    // print locations freely; they belong in mount options. The message must not echo the input.
    guard !authority.contains("@") else {
      throw GooseFSError(
        .invalidArgument,
        "Credentials must not be embedded in an under file system location; pass them as mount options.")
    }
    if rest.isEmpty {
      rest = "/"
    }
    guard rest.hasPrefix("/") else {
      throw GooseFSError(.invalidArgument, "Under file system location \"\(string)\" is not an absolute path.")
    }
    if scheme.isEmpty || scheme == "file" {
      guard authority.isEmpty || authority == "localhost" else {
        throw GooseFSError(
          .invalidArgument, "Local location \"\(string)\" must not name a host (use file:///path).")
      }
      authority = ""
    } else if authority.isEmpty {
      throw GooseFSError(.invalidArgument, "Location \"\(string)\" has no bucket or host after \"\(scheme)://\".")
    }
    self.scheme = scheme
    self.authority = authority
    self.path = try Self.normalise(path: rest, original: string)
  }

  /// Builds a URI from parts that are already known to be valid (used by `joining` and `parent`).
  private init(scheme: String, authority: String, normalisedPath: String) {
    self.scheme = scheme
    self.authority = authority
    self.path = normalisedPath
  }

  /// True for bare paths and `file://` locations.
  public var isLocal: Bool { scheme.isEmpty || scheme == "file" }

  public var isRoot: Bool { path == "/" }

  /// The last path segment; empty for the root.
  public var name: String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// The enclosing directory; nil for the root.
  public var parent: UFSURI? {
    guard !isRoot, let slash = path.lastIndex(of: "/") else { return nil }
    let parentPath = slash == path.startIndex ? "/" : String(path[..<slash])
    return UFSURI(scheme: scheme, authority: authority, normalisedPath: parentPath)
  }

  /// Appends a relative child path (may contain several segments, e.g. `a/b`).
  public func joining(_ child: String) throws -> UFSURI {
    let joined = try Self.normalise(path: Substring(path + "/" + child), original: child)
    return UFSURI(scheme: scheme, authority: authority, normalisedPath: joined)
  }

  /// True when `other` is this location or lies beneath it (same scheme and authority).
  public func contains(_ other: UFSURI) -> Bool {
    guard scheme == other.scheme || (isLocal && other.isLocal), authority == other.authority else { return false }
    if isRoot || path == other.path { return true }
    return other.path.hasPrefix(path) && other.path.dropFirst(path.count).hasPrefix("/")
  }

  /// `other`'s path relative to this location (no leading slash; empty when equal), or nil when
  /// `other` is not inside this location.
  public func relativePath(of other: UFSURI) -> String? {
    guard contains(other) else { return nil }
    if path == other.path { return "" }
    return String(other.path.dropFirst(isRoot ? 1 : path.count + 1))
  }

  public var description: String {
    scheme.isEmpty ? path : "\(scheme)://\(authority)\(path)"
  }

  /// The index of the `:` ending a scheme (`[A-Za-z][A-Za-z0-9+.-]*:`), when the string has one.
  private static func schemeEnd(in string: Substring) -> Substring.Index? {
    guard let colon = string.firstIndex(of: ":"), colon != string.startIndex else { return nil }
    let candidate = string[string.startIndex..<colon]
    guard let first = candidate.first, first.isASCII, first.isLetter else { return nil }
    let allowed = candidate.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
    return allowed ? colon : nil
  }

  /// Collapses `//`, drops `.` segments and the trailing slash. `..` is rejected rather than
  /// resolved: a lexical `..` could walk out of a mount root, and object stores have no such notion.
  private static func normalise(path: Substring, original: String) throws -> String {
    var segments: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
      if segment == "." { continue }
      if segment == ".." {
        throw GooseFSError(.invalidArgument, "Location \"\(original)\" must not contain \"..\" segments.")
      }
      segments.append(segment)
    }
    return "/" + segments.joined(separator: "/")
  }
}
