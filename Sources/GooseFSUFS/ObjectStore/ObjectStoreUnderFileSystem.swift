import Foundation
import GooseFSCore
import Logging
import NIOCore

/// An S3 or Tencent COS bucket (or a key prefix in one) as an under file system.
///
/// Files are objects; a directory is a zero-byte `key/` marker object, or exists implicitly as
/// the common prefix of other keys (what other tools and `create` leave behind). Nothing here
/// keeps state between calls: every answer comes from the store, so several masters or tools
/// may share a bucket. Object stores have no POSIX metadata: mode, owner and group are the
/// mount's configured values, and `setMode`/`setOwner` do nothing (as in Alluxio).
public struct ObjectStoreUnderFileSystem: UnderFileSystem {
  public let uri: UFSURI
  public let location: ObjectStoreLocation
  let client: ObjectStoreClient

  public var typeName: String {
    switch uri.scheme {
    case "s3", "s3a": "s3"
    default: uri.scheme
    }
  }

  /// Resolves the location from `options` (and the process environment for credential
  /// fallbacks) and uses the process's shared transport for these connection settings.
  public init(
    uri: UFSURI, options: [String: String],
    environment: [String: String] = ProcessInfo.processInfo.environment,
    logger: Logger = Logger(label: "goosefs.ufs.objectstore")
  ) throws {
    let location = try ObjectStoreLocation.resolve(uri: uri, options: options, environment: environment)
    self.init(
      location: location, transport: try ObjectStoreConnections.transport(for: location.tuning, logger: logger),
      retry: try Self.retryPolicy(options), logger: logger)
  }

  /// Uses the given transport and retry policy (tests record or fake requests, and shorten
  /// the backoff).
  public init(
    location: ObjectStoreLocation, transport: any HTTPTransport, retry: HTTPRetryPolicy = HTTPRetryPolicy(),
    logger: Logger = Logger(label: "goosefs.ufs.objectstore")
  ) {
    self.uri = location.uri
    self.location = location
    self.client = ObjectStoreClient(
      location: location, transport: transport, signer: ObjectStoreConnections.signer(for: location),
      retry: retry, logger: logger)
  }

  /// The retry budget of every request: `goosefs.underfs.object.retry.max.attempts` (10) and
  /// `goosefs.underfs.object.retry.max.duration` (2min).
  static func retryPolicy(_ options: [String: String]) throws -> HTTPRetryPolicy {
    var policy = HTTPRetryPolicy()
    if let text = options[ObjectStoreOptionKeys.retryMaxAttempts] {
      guard let attempts = Int(text), attempts >= 1 else {
        throw GooseFSError(
          .invalidArgument, "Invalid value \"\(text)\" for \(ObjectStoreOptionKeys.retryMaxAttempts): expected a positive integer")
      }
      policy.maxAttempts = attempts
    }
    if let text = options[ObjectStoreOptionKeys.retryMaxDuration] {
      let milliseconds = try TimeDuration.parseMilliseconds(text)
      guard milliseconds > 0 else {
        throw GooseFSError(
          .invalidArgument, "Invalid value \"\(text)\" for \(ObjectStoreOptionKeys.retryMaxDuration): expected a duration such as 30s")
      }
      policy.maxDuration = .milliseconds(milliseconds)
    }
    return policy
  }

  // MARK: - Metadata

  public func status(_ path: String) async throws -> UFSStatus? {
    let target = try resolve(path)
    if target.isRoot {
      // Always a directory, but still asked: mounting calls this to prove that the bucket
      // exists and the credentials work (a missing bucket or a 403 throws from here).
      let modified = try await directoryModified(prefix: target.directoryPrefix)
      return directoryStatus(name: target.uri.name, lastModified: modified ?? 0)
    }
    if let head = try await client.head(target.key) {
      return fileStatus(name: target.uri.name, head: head)
    }
    guard let modified = try await directoryModified(prefix: target.directoryPrefix) else { return nil }
    return directoryStatus(name: target.uri.name, lastModified: modified)
  }

  public func list(_ path: String) async throws -> [UFSStatus]? {
    let target = try resolve(path)
    let prefix = target.directoryPrefix
    var entries: [String: UFSStatus] = [:]
    var sawAnything = false
    try await client.forEachPage(prefix: prefix, delimiter: "/") { page in
      for object in page.objects {
        sawAnything = true
        // The directory's own marker is not a child.
        guard object.key != prefix else { continue }
        let name = String(object.key.dropFirst(prefix.count))
        guard !name.isEmpty else { continue }
        entries[name] = fileStatus(
          name: name, head: ObjectHead(length: object.size, lastModified: object.lastModified, etag: object.etag))
      }
      for commonPrefix in page.prefixes {
        sawAnything = true
        let name = String(commonPrefix.dropFirst(prefix.count).dropLast())
        // `a//b` makes an empty segment: not addressable as a path, so not listed. A file and a
        // directory of the same name: the file wins, as in `status`.
        guard !name.isEmpty, entries[name] == nil else { continue }
        entries[name] = directoryStatus(name: name, lastModified: 0)
      }
    }
    // No marker and no children: not a directory (the mount root always is one).
    guard sawAnything || target.isRoot else { return nil }
    return entries.values.sorted { (a: UFSStatus, b: UFSStatus) in a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
  }

  public func capacity() async throws -> (total: Int64, used: Int64) { (-1, -1) }

  public func setMode(_ path: String, _ mode: UInt16) async throws {
    _ = try resolve(path)
  }

  public func setOwner(_ path: String, owner: String?, group: String?) async throws {
    _ = try resolve(path)
  }

  // MARK: - Directories

  public func createDirectory(_ path: String, mode: UInt16, createParents: Bool) async throws -> Bool {
    let target = try resolve(path)
    if target.isRoot { return false }
    if try await client.head(target.key) != nil {
      throw GooseFSError(.alreadyExists, "Cannot create directory \"\(target.uri)\": a file is there.")
    }
    if try await directoryModified(prefix: target.directoryPrefix) != nil { return false }
    try await requireParent(of: target, createParents: createParents, breadcrumbs: location.tuning.breadcrumbs)
    try await client.put(target.directoryPrefix, body: ByteBuffer())
    return true
  }

  public func deleteDirectory(_ path: String, recursive: Bool) async throws -> Bool {
    let target = try resolve(path)
    guard !target.isRoot else {
      throw GooseFSError(.invalidArgument, "Refusing to delete the root of the mount \"\(uri)\".")
    }
    let prefix = target.directoryPrefix
    if !recursive {
      let page = try await client.listPage(prefix: prefix, delimiter: nil, maxKeys: 2, continuation: nil)
      if page.objects.isEmpty { return try await notADirectory(target) }
      if page.objects.contains(where: { $0.key != prefix }) {
        throw GooseFSError(.directoryNotEmpty, "Directory \"\(target.uri)\" is not empty.")
      }
      try await client.delete(prefix)
      return true
    }
    let keys = try await ObjectStoreTree.allKeys(client, under: prefix)
    if keys.isEmpty { return try await notADirectory(target) }
    try await ObjectStoreTree.delete(client, keys: keys, marker: prefix)
    return true
  }

  // MARK: - Files

  public func deleteFile(_ path: String) async throws -> Bool {
    let target = try resolve(path)
    if !target.isRoot, try await client.head(target.key) != nil {
      // S3 answers 204 for missing keys too, hence the HEAD above to tell "deleted" from "missing".
      try await client.delete(target.key)
      return true
    }
    if try await isDirectory(target) {
      throw GooseFSError(.failedPrecondition, "Cannot delete \"\(target.uri)\" as a file: it is a directory.")
    }
    return false
  }

  public func openRead(_ path: String) async throws -> any UFSInputStream {
    let target = try resolve(path)
    if !target.isRoot, let head = try await client.head(target.key) {
      return ObjectStoreInputStream(client: client, key: target.key, head: head)
    }
    if try await isDirectory(target) {
      throw GooseFSError(.failedPrecondition, "Cannot open \"\(target.uri)\" for reading: it is a directory.")
    }
    throw GooseFSError.pathDoesNotExist(target.uri.description)
  }

  public func create(_ path: String, mode: UInt16, createParents: Bool) async throws -> any UFSOutputStream {
    let target = try resolve(path)
    guard !target.isRoot else {
      throw GooseFSError(.invalidArgument, "Cannot create a file at the root of the mount \"\(uri)\".")
    }
    // Object stores make prefixes on the fly, so parents need markers only when configured.
    let breadcrumbs = !location.tuning.skipParentDirectoryCreation
    async let directoryInTheWay = directoryModified(prefix: target.directoryPrefix)
    try await requireParent(of: target, createParents: createParents, breadcrumbs: breadcrumbs)
    if try await directoryInTheWay != nil {
      throw GooseFSError(.alreadyExists, "Cannot create file \"\(target.uri)\": a directory is there.")
    }
    return ObjectStoreOutputStream(client: client, key: target.key)
  }

  /// Copy then delete: not atomic. A directory is copied key by key (in parallel), then its
  /// source keys are deleted; a failure part-way leaves the source complete.
  public func rename(_ source: String, to destination: String) async throws -> Bool {
    let from = try resolve(source)
    let to = try resolve(destination)
    guard !from.isRoot, !to.isRoot else {
      throw GooseFSError(.invalidArgument, "Cannot rename the root of the mount \"\(uri)\".")
    }
    guard from.key != to.key else { return try await status(source) != nil }
    if to.key.hasPrefix(from.directoryPrefix) {
      throw GooseFSError(.invalidArgument, "Cannot move \"\(from.uri)\" into itself (\"\(to.uri)\").")
    }
    guard let sourceStatus = try await status(source) else { return false }
    if try await status(destination) != nil {
      throw GooseFSError.pathAlreadyExists(to.uri.description)
    }
    try await requireParent(of: to, createParents: false, breadcrumbs: false)
    if !sourceStatus.isDirectory {
      try await ObjectStoreTree.copyObject(client, from: from.key, to: to.key, length: sourceStatus.length)
      try await client.delete(from.key)
      return true
    }
    let keys = try await ObjectStoreTree.allKeys(client, under: from.directoryPrefix)
    try await ObjectStoreTree.copyAll(client, keys: keys, from: from.directoryPrefix, to: to.directoryPrefix)
    try await ObjectStoreTree.delete(client, keys: keys, marker: from.directoryPrefix)
    return true
  }

  // MARK: - Helpers

  /// A location inside the mount and its object key ("" for the root of a whole-bucket mount).
  struct Target {
    let uri: UFSURI
    let key: String
    let isRoot: Bool
    /// The prefix of everything below: `key/`, or the mount's root prefix.
    let directoryPrefix: String
  }

  func resolve(_ path: String) throws -> Target {
    let target = try UFSURI(path)
    guard let relative = uri.relativePath(of: target) else {
      throw GooseFSError(.invalidArgument, "\"\(target)\" is outside the mount \"\(uri)\".")
    }
    if relative.isEmpty {
      return Target(uri: target, key: String(location.rootKey.dropLast()), isRoot: true, directoryPrefix: location.rootKey)
    }
    let key = location.rootKey + relative
    return Target(uri: target, key: key, isRoot: false, directoryPrefix: key + "/")
  }

  /// The marker's modification time (0 for an implicit directory) when something exists under
  /// `prefix`, nil otherwise. One request: the marker sorts first among the keys it prefixes.
  private func directoryModified(prefix: String) async throws -> Int64? {
    let page = try await client.listPage(prefix: prefix, delimiter: nil, maxKeys: 1, continuation: nil)
    guard let first = page.objects.first else { return page.prefixes.isEmpty ? nil : 0 }
    return first.key == prefix ? first.lastModified : 0
  }

  private func isDirectory(_ target: Target) async throws -> Bool {
    if target.isRoot { return true }
    return try await directoryModified(prefix: target.directoryPrefix) != nil
  }

  /// Makes sure the parent directory exists: `.notFound` without `createParents`, else created
  /// (with markers for every missing level when `breadcrumbs`, implicitly otherwise).
  private func requireParent(of target: Target, createParents: Bool, breadcrumbs: Bool) async throws {
    guard let parentURI = target.uri.parent, parentURI != uri else { return }
    let parent = try resolve(parentURI.description)
    if try await directoryModified(prefix: parent.directoryPrefix) != nil { return }
    if try await client.head(parent.key) != nil {
      throw GooseFSError(.alreadyExists, "Cannot create \"\(target.uri)\": \"\(parent.uri)\" is a file.")
    }
    guard createParents else { throw GooseFSError.pathDoesNotExist(parent.uri.description) }
    if breadcrumbs {
      try await requireParent(of: parent, createParents: true, breadcrumbs: true)
      try await client.put(parent.directoryPrefix, body: ByteBuffer())
    }
  }

  /// After finding nothing under `target/`: a file there makes the call a precondition failure,
  /// otherwise there is nothing to delete.
  private func notADirectory(_ target: Target) async throws -> Bool {
    if try await client.head(target.key) != nil {
      throw GooseFSError(.failedPrecondition, "Cannot delete \"\(target.uri)\" as a directory: it is a file.")
    }
    return false
  }

  private func fileStatus(name: String, head: ObjectHead) -> UFSStatus {
    let tuning = location.tuning
    return UFSStatus(
      name: name, isDirectory: false, length: head.length, lastModified: head.lastModified, mode: tuning.mode,
      owner: tuning.owner, group: tuning.group, contentHash: head.etag,
      fingerprint: UFSStatus.objectFingerprint(isDirectory: false, length: head.length, etag: head.etag))
  }

  private func directoryStatus(name: String, lastModified: Int64) -> UFSStatus {
    let tuning = location.tuning
    return UFSStatus(
      name: name, isDirectory: true, length: 0, lastModified: lastModified, mode: tuning.mode,
      owner: tuning.owner, group: tuning.group,
      fingerprint: UFSStatus.objectFingerprint(isDirectory: true, length: 0, etag: nil))
  }
}
