import Foundation
import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

/// `goosefs-fuse mount [-f] [-o opts]… <mount point> [goosefs path]`, `unmount|umount [-s] <mount
/// point>`, `stat`: GooseFS's FUSE launcher's commands.
public enum FuseCommand: Equatable, Sendable {
  case mount(mountPoint: String, goosefsPath: String, optionLists: [String], foreground: Bool)
  case unmount(mountPoint: String)
  case stat
  case help

  public static let usage = """
    Usage: goosefs-fuse mount [-f] [-o <options>]... <mount point> [<goosefs path>]
           goosefs-fuse unmount|umount [-s] <mount point>
           goosefs-fuse stat
      mount     mounts <goosefs path> (default /) at <mount point>; -f (or -n) stays in the
                foreground, otherwise it returns once the mount is up. Options: rw, ro, direct_io,
                kernel_cache, allow_other, allow_root, uid=, gid=, max_read=, max_readahead=,
                attr_timeout=, entry_timeout=, nonempty.
      unmount   unmounts (lazily when busy or when the daemon is gone).
      stat      lists the GooseFS FUSE mounts of this host: pid, mount point, GooseFS path.
    """

  public static func parse(_ arguments: [String]) throws -> FuseCommand {
    guard let verb = arguments.first else { return .help }
    var rest = Array(arguments.dropFirst())
    switch verb {
    case "mount":
      var lists: [String] = []
      var foreground = false
      var positional: [String] = []
      while !rest.isEmpty {
        let argument = rest.removeFirst()
        switch argument {
        case "-f", "-n", "--foreground": foreground = true
        case "-o":
          guard !rest.isEmpty else { throw GooseFSError(.invalidArgument, "-o needs an option list.\n\(usage)") }
          lists.append(rest.removeFirst())
        case _ where argument.hasPrefix("-o"): lists.append(String(argument.dropFirst(2)))
        case _ where argument.hasPrefix("--fuse-opts="): lists.append(String(argument.dropFirst("--fuse-opts=".count)))
        case _ where argument.hasPrefix("-"):
          throw GooseFSError(.invalidArgument, "Unknown option \(argument).\n\(usage)")
        default: positional.append(argument)
        }
      }
      guard (1...2).contains(positional.count) else {
        throw GooseFSError(.invalidArgument, "mount needs a mount point and optionally a GooseFS path.\n\(usage)")
      }
      return .mount(
        mountPoint: positional[0], goosefsPath: positional.count > 1 ? positional[1] : "/", optionLists: lists,
        foreground: foreground)
    case "unmount", "umount":
      let positional = rest.filter { !$0.hasPrefix("-") }
      guard positional.count == 1 else { throw GooseFSError(.invalidArgument, "unmount needs a mount point.\n\(usage)") }
      return .unmount(mountPoint: positional[0])
    case "stat":
      return .stat
    case "-h", "--help", "help":
      return .help
    default:
      throw GooseFSError(.invalidArgument, "Unknown command \(verb).\n\(usage)")
    }
  }
}

/// The commands that do not run the daemon.
public enum FuseMountCommands {
  /// Unmounts `mountPoint`: a normal unmount when nothing is open, else (or when the daemon is
  /// gone) a lazy one. The daemon sees its session end and exits.
  public static func unmount(_ mountPoint: String) throws {
    if umount2(mountPoint, 0) == 0 { return }
    let first = errno
    guard first == EBUSY || first == ENOTCONN || first == EIO else {
      throw GooseFSError(.invalidArgument, "Cannot unmount \(mountPoint): \(String(cString: strerror(first))).")
    }
    let code = FuseMountTable.lazyUnmount(mountPoint)
    guard code == 0 else {
      throw GooseFSError(.ioError, "Cannot unmount \(mountPoint): \(String(cString: strerror(code))).")
    }
  }

  /// One line per running `goosefs-fuse mount`: pid, mount point, GooseFS path.
  public static func stat() -> [String] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var lines: [String] = []
    for entry in entries.compactMap(Int32.init).sorted() where entry != getpid() {
      guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
      let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      guard let program = arguments.first, program.hasSuffix("goosefs-fuse"),
        case .mount(let mountPoint, let path, _, true)? = try? FuseCommand.parse(Array(arguments.dropFirst()))
      else { continue }
      lines.append("\(entry)\t\(FuseMountTable.canonicalPath(mountPoint))\t\(path)")
    }
    return lines
  }
}
