import GooseFSCore

/// One end of a copy: `file://…` (or an argument of `copyFromLocal`/`copyToLocal` meant to be
/// local) is the machine's file system; anything else is a GooseFS path.
enum CopyLocation: Equatable, Sendable {
  case local(String)
  case goosefs(String)

  static let localScheme = "file://"

  /// `cp` arguments: the `file://` prefix decides.
  static func parse(_ argument: String) throws -> CopyLocation {
    if argument.hasPrefix(localScheme) { return .local(LocalFiles.absolute(String(argument.dropFirst(localScheme.count)))) }
    return .goosefs(try ShellPath.normalize(argument))
  }

  /// An argument that is local whether or not it has the prefix (relative paths are fine).
  static func localArgument(_ argument: String) -> CopyLocation {
    let path = argument.hasPrefix(localScheme) ? String(argument.dropFirst(localScheme.count)) : argument
    return .local(LocalFiles.absolute(path))
  }

  /// How Alluxio prints it in `Copied … to …`: local paths with their scheme.
  var display: String {
    switch self {
    case .local(let path): CopyLocation.localScheme + path
    case .goosefs(let path): path
    }
  }
}

/// What every copy direction shares.
struct CopySettings: Sendable {
  /// Bytes read or written per call (`--buffersize`).
  var chunkSize: Int
  /// Files copied at once (`--thread`).
  var concurrency: Int
  /// How new GooseFS files are written (`goosefs.user.file.writetype.default`).
  var writeType: WriteType
}
