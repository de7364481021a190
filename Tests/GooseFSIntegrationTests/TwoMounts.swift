import Foundation
import FuseTestKit
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// One cluster (master, a worker on this host) mounted twice by two `goosefs-fuse` daemons, both
/// with the metadata cache on and a short expiration, as issue 11's correctness tests need.
/// `a` is mounted as Fluid does (`direct_io`), `b` with `kernel_cache`, so that between them every
/// cache on the way is in play: the daemon's metadata cache, the kernel's entries and attributes
/// and, on `b`, its page cache kept across opens.
struct TwoMounts {
  let cluster: LocalCluster
  let a: FuseMount
  let b: FuseMount

  /// `goosefs.user.metadata.cache.expiration.time` of both daemons.
  static let cacheExpiration = 2.0
  /// `attr_timeout` and `entry_timeout` of both mounts (the default, written out).
  static let kernelTimeout = 1.0
  /// For a loaded 2-core CI machine: a lookup in flight while the change is made, a probe that
  /// takes a while to walk its items.
  static let margin = 3.0
  /// How long after a change through one mount the other may still show the old state: an entry
  /// lives `cacheExpiration` in the other daemon's cache, and the kernel may have fetched it just
  /// before it expired and keep it `kernelTimeout` more (docs/fuse.md, metadata cache).
  static var visibilityBound: Double { cacheExpiration + kernelTimeout + margin }

  static let options = "attr_timeout=\(Int(kernelTimeout)),entry_timeout=\(Int(kernelTimeout))"

  static func properties(writeType: String?) -> [String: String] {
    var properties = [
      "goosefs.user.metadata.cache.enabled": "true",
      "goosefs.user.metadata.cache.expiration.time": "\(Int(cacheExpiration))s",
    ]
    if let writeType { properties["goosefs.user.file.writetype.default"] = writeType }
    return properties
  }

  /// Starts the cluster and both mounts. `writeType` nil: the default (ASYNC_THROUGH).
  static func start(writeType: String? = nil) throws -> TwoMounts {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    try cluster.startLocalWorker()
    let a = try cluster.mountFuse(
      options: "allow_other,direct_io,\(options)", properties: properties(writeType: writeType),
      at: cluster.root.appendingPathComponent("mnt-a"))
    let b = try cluster.mountFuse(
      options: "allow_other,kernel_cache,\(options)", properties: properties(writeType: writeType),
      at: cluster.root.appendingPathComponent("mnt-b"))
    return TwoMounts(cluster: cluster, a: a, b: b)
  }

  /// Mounts `cluster` again at `mountPoint` (after its daemon was killed) with the same settings.
  static func remount(_ cluster: LocalCluster, at mountPoint: URL, options: String, writeType: String?) throws -> FuseMount {
    try cluster.mountFuse(options: "\(options),\(Self.options)", properties: properties(writeType: writeType), at: mountPoint)
  }

  /// What a failure prints: the end of both daemons' logs and of the master's.
  var context: String { Self.context(cluster, [a, b]) }

  static func context(_ cluster: LocalCluster, _ mounts: [FuseMount]) -> String {
    var text = ""
    for mount in mounts {
      text += "\n--- daemon log of \(mount.mountPoint.lastPathComponent) (tail) ---\n\(mount.log.suffix(2500))"
    }
    return text + "\n--- master log (tail) ---\n\(cluster.masterStderr.suffix(1500))"
  }
}

/// A path as one mount shows it, compared with what it should be.
enum Observed: Equatable, CustomStringConvertible {
  case missing
  case directory(mode: mode_t)
  case file(mode: mode_t, bytes: [UInt8])
  case failure(String)

  /// lstat, then the whole contents of a regular file, through the mount.
  init(_ path: String) {
    let (outcome, info) = Sys.lstat(path)
    if outcome.errorCode == ENOENT {
      self = .missing
      return
    }
    if let code = outcome.errorCode {
      self = .failure("lstat: \(ErrnoName.of(code))")
      return
    }
    let mode = info.st_mode & 0o7777
    switch FileKind(mode: info.st_mode) {
    case .directory:
      self = .directory(mode: mode)
    case .regular:
      switch readWholeFile(path) {
      case .success(let bytes):
        // The size the kernel reports must agree with what a read returns.
        self = Int(info.st_size) == bytes.count ? .file(mode: mode, bytes: bytes) : .failure("st_size \(info.st_size), read \(bytes.count) bytes")
      case .failure(let error) where error.code == ENOENT:
        self = .missing
      case .failure(let error):
        self = .failure("\(error)")
      }
    default:
      self = .failure("kind \(FileKind(mode: info.st_mode))")
    }
  }

  var description: String {
    switch self {
    case .missing: "missing"
    case .directory(let mode): "directory \(String(mode, radix: 8))"
    case .file(let mode, let bytes): "file \(String(mode, radix: 8)), \(bytes.count) bytes \(Self.preview(bytes))"
    case .failure(let text): "error (\(text))"
    }
  }

  static func preview(_ bytes: [UInt8]) -> String {
    "\"\(String(decoding: bytes.prefix(24), as: UTF8.self))\(bytes.count > 24 ? "…" : "")\""
  }
}

enum BoundedWait {
  /// Runs `check` (nil: as expected; otherwise what is still wrong) until it passes, and returns
  /// the seconds from `since` that took. A check that started more than `bound` seconds after
  /// `since` must pass: if it does not, this throws with what it found. Checks that take longer
  /// than the bound (a walk of a large tree) thus get exactly one retry after the bound.
  static func until(
    _ what: String, bound: Double, since: ContinuousClock.Instant, _ check: () throws -> String?
  ) throws -> Double {
    while true {
      let started = ContinuousClock.now
      guard let problem = try check() else { return (ContinuousClock.now - since).seconds }
      if (started - since).seconds > bound {
        throw StaleAfterBound(what: what, bound: bound, problem: problem)
      }
      usleep(50_000)
    }
  }

  struct StaleAfterBound: Error, CustomStringConvertible {
    var what: String
    var bound: Double
    var problem: String
    var description: String { "\(what): still wrong more than \(bound) s after the change: \(problem)" }
  }
}
