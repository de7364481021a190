import GooseFSClient
import GooseFSCore

/// Walks the namespace for commands that act on every file below a path.
enum FileTree {
  /// The file itself, or every file below a directory, sorted by path so that output is stable.
  static func files(under status: FileInfo, in fileSystem: any DataFileSystem) async throws -> [FileInfo] {
    guard status.isDirectory else { return [status] }
    return try await entries(below: status.path, in: fileSystem).filter { !$0.isDirectory }
  }

  /// Every directory and file below `path` (not `path` itself), parents before children.
  static func entries(below path: String, in fileSystem: any DataFileSystem) async throws -> [FileInfo] {
    try await fileSystem.listStatus(path, recursive: true, syncIntervalMs: nil)
      .sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
  }
}

extension DataFileSystem {
  /// The status, or nil when the path does not exist (a destination that will be created).
  func statusIfPresent(_ path: String) async throws -> FileInfo? {
    do {
      return try await getStatus(path, syncIntervalMs: nil)
    } catch let error as GooseFSError where error.code == .notFound {
      return nil
    }
  }
}
