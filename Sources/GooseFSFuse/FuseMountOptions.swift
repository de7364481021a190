import GooseFSCore

/// `goosefs-fuse mount -o …` as Fluid and users write it (Fluid's default: `rw,direct_io,allow_other`),
/// split into what libfuse3 takes at session creation and what the daemon itself honours.
/// Options libfuse3 no longer has are translated or ignored with a note, never fatal.
public struct FuseMountOptions: Sendable, Equatable {
  public var readOnly = false
  /// Reads and writes bypass the page cache (each request reaches the daemon).
  public var directIO = false
  /// Keep the kernel's page cache of a file across opens.
  public var kernelCache = false
  public var allowOther = false
  public var allowRoot = false
  public var uid: UInt32?
  public var gid: UInt32?
  public var maxRead = 1 << 20
  public var maxReadahead: Int?
  /// Seconds the kernel may cache attributes and lookups; nil: the configuration's default.
  public var attrTimeout: Double?
  public var entryTimeout: Double?
  /// Options passed to libfuse3 untouched (ones we do not interpret but it knows).
  public var passThrough: [String] = []
  /// One line per option translated or ignored, for the log.
  public var notes: [String] = []

  public init() {}

  /// Parses comma-separated option lists (each `-o` value).
  public static func parse(_ lists: [String]) throws -> FuseMountOptions {
    var options = FuseMountOptions()
    for list in lists {
      for raw in list.split(separator: ",", omittingEmptySubsequences: true) {
        try options.apply(String(raw).trimmingCharacters(in: .whitespaces))
      }
    }
    if options.allowOther && options.allowRoot {
      throw GooseFSError(.invalidArgument, "Mount options allow_other and allow_root cannot be used together.")
    }
    return options
  }

  private mutating func apply(_ option: String) throws {
    let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
    let name = parts[0]
    let value = parts.count > 1 ? parts[1] : nil
    switch name {
    case "rw": readOnly = false
    case "ro": readOnly = true
    case "direct_io": directIO = true
    case "kernel_cache": kernelCache = true
    case "auto_cache": kernelCache = true; notes.append("auto_cache: treated as kernel_cache (cache kept while the file is unchanged)")
    case "allow_other": allowOther = true
    case "allow_root": allowRoot = true
    case "uid": uid = try Self.number(name, value)
    case "gid": gid = try Self.number(name, value)
    case "max_read": maxRead = Int(try Self.number(name, value) as UInt32)
    case "max_readahead": maxReadahead = Int(try Self.number(name, value) as UInt32)
    case "attr_timeout": attrTimeout = try Self.seconds(name, value)
    case "entry_timeout": entryTimeout = try Self.seconds(name, value)
    case "nonempty":
      // libfuse3 mounts over non-empty folders without being asked.
      notes.append("nonempty: ignored, libfuse3 always allows mounting over a non-empty folder")
    case "big_writes", "large_read", "use_ino", "readdir_ino", "atomic_o_trunc", "hard_remove":
      notes.append("\(name): ignored, libfuse3 does this by itself or has no such option")
    case "max_write":
      notes.append("max_write: ignored, the daemon always asks for 1 MiB requests")
    case "fsname", "subtype":
      notes.append("\(name): ignored, the mount is always fuse.goosefs-fuse (Fluid's CSI looks for that type)")
    default:
      passThrough.append(option)
    }
  }

  private static func number<T: FixedWidthInteger>(_ name: String, _ value: String?) throws -> T {
    guard let value, let number = T(value) else {
      throw GooseFSError(.invalidArgument, "Mount option \(name) needs a number, e.g. \(name)=1000 (got \"\(value ?? "")\").")
    }
    return number
  }

  private static func seconds(_ name: String, _ value: String?) throws -> Double {
    guard let value, let seconds = Double(value), seconds >= 0, seconds.isFinite else {
      throw GooseFSError(.invalidArgument, "Mount option \(name) needs seconds, e.g. \(name)=7200 (got \"\(value ?? "")\").")
    }
    return seconds
  }

  /// The `-o` list for `fuse_session_new`: what the kernel mount needs; the rest stays in the
  /// daemon. `fsname`/`subtype` make the mount's type `fuse.goosefs-fuse`.
  public var sessionOptions: String {
    var list = ["fsname=goosefs", "subtype=goosefs-fuse", "max_read=\(maxRead)"]
    if readOnly { list.append("ro") }
    if allowOther { list.append("allow_other") }
    // libfuse3 dropped allow_root: the mount allows others, and the daemon (operations still to
    // come, issue 5) must then refuse everyone but root and the mounting user.
    if allowRoot { list.append("allow_other") }
    list.append("default_permissions")
    list += passThrough
    return list.joined(separator: ",")
  }
}
