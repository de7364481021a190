import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The machine's own file system, for `copyFromLocal`, `copyToLocal` and `cp file://…`.
/// Only local disk work lives here; everything that touches the cluster goes through the client.
enum LocalFiles {
  enum Kind: Equatable {
    case file
    case directory
    case missing
  }

  /// Symbolic links are followed, as Java's `File` does.
  static func kind(_ path: String) -> Kind {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
    return isDirectory.boolValue ? .directory : .file
  }

  /// An absolute, `.`/`..`-free path; relative paths are taken from the working directory.
  static func absolute(_ path: String) -> String {
    let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: base).standardizedFileURL.path
  }

  static func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  static func name(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

  /// Directory entries, sorted by name so that output and copy order are stable.
  static func children(of directory: String) throws -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    } catch {
      throw ShellFailure.message("Failed to list files for directory \(directory)")
    }
  }

  /// Creates `path` and missing parents; an existing directory is fine.
  static func makeDirectories(_ path: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw ShellFailure.message("mkdir failure for directory: file://\(path)")
    }
  }

  static func openForReading(_ path: String) throws -> FileHandle {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw ShellFailure.message("Failed to open file://\(path) for reading")
    }
    return handle
  }

  /// Creates (or truncates) `path` for writing.
  static func createForWriting(_ path: String) throws -> FileHandle {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      throw ShellFailure.message("Failed to create file://\(path)")
    }
    return handle
  }

  /// Atomically puts `source` at `destination`, replacing a file that is already there.
  static func moveReplacing(_ source: String, to destination: String) throws {
    guard rename(source, destination) == 0 else {
      throw ShellFailure.message("Failed to rename \(source) to destination \(destination)")
    }
  }

  static func removeIfPresent(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }
}
