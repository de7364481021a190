import GooseFSCore
import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An under file system backed by a folder of the machine's own file system.
///
/// Every call makes its syscalls in one job on `UFSBlockingPool`. Symlinks are followed for
/// status and listing (dangling ones are skipped) but never during recursive delete.
public struct LocalUnderFileSystem: UnderFileSystem {
  public let uri: UFSURI
  public var typeName: String { "local" }
  private let logger: Logger

  /// `uri` must be local (`/path` or `file:///path`). Nothing is touched until the first call.
  public init(uri: UFSURI, logger: Logger = Logger(label: "goosefs.ufs.local")) throws {
    guard uri.isLocal else {
      throw GooseFSError(.invalidArgument, "\"\(uri)\" is not a local location.")
    }
    self.uri = uri
    self.logger = logger
  }

  public func status(_ path: String) async throws -> UFSStatus? {
    let location = try resolve(path)
    return try await UFSBlockingPool.run {
      var info = stat()
      guard stat(location.path, &info) == 0 else {
        let code = errno
        if code == ENOENT || code == ENOTDIR { return nil }
        throw posixError(code, "read status of", location.display)
      }
      var names = LocalIdentityNames()
      return UFSStatus(name: location.name, stat: info, names: &names)
    }
  }

  public func list(_ path: String) async throws -> [UFSStatus]? {
    let location = try resolve(path)
    return try await UFSBlockingPool.run {
      try LocalDirectoryEntries.list(path: location.path, display: location.display)
    }
  }

  public func createDirectory(_ path: String, mode: UInt16, createParents: Bool) async throws -> Bool {
    let location = try resolve(path)
    return try await UFSBlockingPool.run {
      try Self.makeDirectory(location.uri, mode: mode, createParents: createParents)
    }
  }

  public func deleteFile(_ path: String) async throws -> Bool {
    let location = try resolve(path)
    return try await UFSBlockingPool.run {
      guard unlink(location.path) != 0 else { return true }
      switch errno {
      case ENOENT, ENOTDIR: return false
      case EISDIR: throw GooseFSError(.failedPrecondition, "Cannot delete \"\(location.display)\" as a file: it is a directory.")
      case let code: throw posixError(code, "delete", location.display)
      }
    }
  }

  public func deleteDirectory(_ path: String, recursive: Bool) async throws -> Bool {
    let location = try resolve(path)
    guard location.path != "/" else {
      throw GooseFSError(.invalidArgument, "Refusing to delete the local file system root.")
    }
    return try await UFSBlockingPool.run {
      var info = stat()
      guard lstat(location.path, &info) == 0 else {
        let code = errno
        if code == ENOENT || code == ENOTDIR { return false }
        throw posixError(code, "delete", location.display)
      }
      switch info.st_mode & S_IFMT {
      case S_IFLNK:
        // A link listed as a directory (status follows links): remove the link, never its target.
        guard unlink(location.path) == 0 else { throw posixError(errno, "delete", location.display) }
      case S_IFDIR where recursive:
        try LocalTreeRemoval.removeTree(path: location.path, display: location.display)
      case S_IFDIR:
        guard rmdir(location.path) == 0 else {
          let code = errno
          // POSIX allows EEXIST in place of ENOTEMPTY.
          throw posixError(code == EEXIST ? ENOTEMPTY : code, "delete", location.display)
        }
      default:
        throw GooseFSError(
          .failedPrecondition, "Cannot delete \"\(location.display)\" as a directory: it is a file.")
      }
      return true
    }
  }

  /// Refuses to replace an existing destination, as object stores will. The existence check and
  /// the rename are two steps (glibc's renameat2 is not visible to Swift); the master serialises
  /// namespace changes per mount, so only an outside writer could slip in between.
  public func rename(_ source: String, to destination: String) async throws -> Bool {
    let from = try resolve(source)
    let to = try resolve(destination)
    return try await UFSBlockingPool.run {
      var info = stat()
      guard lstat(from.path, &info) == 0 else {
        let code = errno
        if code == ENOENT || code == ENOTDIR { return false }
        throw posixError(code, "rename", from.display)
      }
      if lstat(to.path, &info) == 0 {
        throw GooseFSError.pathAlreadyExists(to.display)
      }
      guard systemRename(from.path, to.path) == 0 else {
        let code = errno
        if code == ENOENT || code == ENOTDIR {
          // The source was just seen, so what is missing is the destination's parent.
          throw GooseFSError.pathDoesNotExist(to.parentDisplay)
        }
        throw posixError(code, "rename \"\(from.display)\" to", to.display)
      }
      return true
    }
  }

  public func setMode(_ path: String, _ mode: UInt16) async throws {
    let location = try resolve(path)
    try await UFSBlockingPool.run {
      guard chmod(location.path, mode_t(mode & 0o7777)) == 0 else {
        throw posixError(errno, "change the mode of", location.display)
      }
    }
  }

  public func setOwner(_ path: String, owner: String?, group: String?) async throws {
    let location = try resolve(path)
    guard owner != nil || group != nil else { return }
    try await UFSBlockingPool.run {
      // uid_t.max is (uid_t)-1: "leave unchanged" for chown.
      var uid = uid_t.max
      var gid = gid_t.max
      if let owner {
        guard let found = LocalIdentityNames.userID(named: owner) else {
          throw GooseFSError(.invalidArgument, "Unknown user \"\(owner)\" for \"\(location.display)\".")
        }
        uid = found
      }
      if let group {
        guard let found = LocalIdentityNames.groupID(named: group) else {
          throw GooseFSError(.invalidArgument, "Unknown group \"\(group)\" for \"\(location.display)\".")
        }
        gid = found
      }
      guard chown(location.path, uid, gid) == 0 else {
        throw posixError(errno, "change the owner of", location.display)
      }
    }
  }

  public func openRead(_ path: String) async throws -> any UFSInputStream {
    let location = try resolve(path)
    return try await UFSBlockingPool.run {
      try LocalInputStream(path: location.path, display: location.display)
    }
  }

  public func create(_ path: String, mode: UInt16, createParents: Bool) async throws -> any UFSOutputStream {
    let location = try resolve(path)
    guard let parent = location.uri.parent else {
      throw GooseFSError(.invalidArgument, "Cannot create a file at \"\(location.display)\".")
    }
    return try await UFSBlockingPool.run { [logger] in
      try Self.prepareNewFile(location, in: parent, createParents: createParents)
      do {
        return try LocalOutputStream(
          finalPath: location.path, directory: parent.path, name: location.name, mode: mode,
          display: location.display, logger: logger)
      } catch let error as GooseFSError where error.code == .notFound {
        // The temporary name is an implementation detail; report the missing parent instead.
        throw GooseFSError.pathDoesNotExist(parent.description)
      }
    }
  }

  public func capacity() async throws -> (total: Int64, used: Int64) {
    let root = uri
    return try await UFSBlockingPool.run {
      var info = statvfs()
      guard statvfs(root.path, &info) == 0 else { throw posixError(errno, "read capacity of", root.description) }
      let blockSize = Int64(info.f_frsize)
      let total = Int64(info.f_blocks) * blockSize
      let used = (Int64(info.f_blocks) - Int64(info.f_bfree)) * blockSize
      return (total, used)
    }
  }

  // MARK: - Helpers

  /// Before a new file is written at `location`: its parents made when asked, and no directory
  /// in the way.
  static func prepareNewFile(_ location: Location, in parent: UFSURI, createParents: Bool) throws {
    if createParents {
      _ = try makeDirectory(parent, mode: parentDirectoryMode, createParents: true)
    }
    var info = stat()
    if stat(location.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      throw GooseFSError(.alreadyExists, "Cannot create file \"\(location.display)\": a directory is there.")
    }
  }

  /// Mode for directories made implicitly by `create(createParents:)`, like `mkdir -p` with umask 022.
  private static let parentDirectoryMode: UInt16 = 0o755

  /// A caller's location checked against the mount: the native path for syscalls and the
  /// normalised location string for messages.
  struct Location: Sendable {
    let uri: UFSURI
    var path: String { uri.path }
    var display: String { uri.description }
    var name: String { uri.name }
    var parentDisplay: String { uri.parent?.description ?? "/" }
  }

  func resolve(_ path: String) throws -> Location {
    let location = try UFSURI(path)
    guard location.isLocal, uri.contains(location) else {
      throw GooseFSError(.invalidArgument, "\"\(location)\" is outside the local mount \"\(uri)\".")
    }
    return Location(uri: location)
  }

  /// `mkdir`, then `chmod` so the mode is exact whatever the umask. With `createParents`, missing
  /// ancestors get `mode | 0o700` so that the owner can always create the next level inside them.
  private static func makeDirectory(_ directory: UFSURI, mode: UInt16, createParents: Bool) throws -> Bool {
    let bits = mode_t(mode & 0o7777)
    if mkdir(directory.path, bits) == 0 {
      guard chmod(directory.path, bits) == 0 else {
        throw posixError(errno, "create directory", directory.description)
      }
      return true
    }
    let code = errno
    switch code {
    case EEXIST:
      var info = stat()
      if stat(directory.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return false }
      throw GooseFSError(.alreadyExists, "Cannot create directory \"\(directory)\": a file is there.")
    case ENOENT:
      guard let parent = directory.parent else { throw posixError(code, "create directory", directory.description) }
      guard createParents else { throw GooseFSError.pathDoesNotExist(parent.description) }
      _ = try makeDirectory(parent, mode: mode | 0o700, createParents: true)
      return try makeDirectory(directory, mode: mode, createParents: false)
    default:
      throw posixError(code, "create directory", directory.description)
    }
  }
}
