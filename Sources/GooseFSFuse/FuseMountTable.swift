import Foundation
import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

/// The kernel's view of our mounts: /proc/self/mountinfo lines of type `fuse.goosefs-fuse`.
public enum FuseMountTable {
  public static let mountType = "fuse.goosefs-fuse"

  public struct Mount: Sendable, Equatable {
    /// "major:minor": the name of the mount's bdi under /sys/class/bdi.
    public var device: String
    public var mountPoint: String
    public var source: String
    public var options: String
  }

  /// Our mounts as listed in mountinfo (fields: id parent major:minor root mountpoint options …
  /// - type source superoptions).
  public static func mounts() -> [Mount] {
    guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
    var result: [Mount] = []
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ").map(String.init)
      guard let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count, fields[dash + 1] == mountType,
        fields.count > 5
      else { continue }
      result.append(Mount(device: fields[2], mountPoint: unescape(fields[4]), source: fields[dash + 2], options: fields[5]))
    }
    return result
  }

  public static func isMounted(_ mountPoint: String) -> Bool {
    let canonical = canonicalPath(mountPoint)
    return mounts().contains { $0.mountPoint == canonical }
  }

  /// Detaches the mount now; the kernel finishes it when the last open file closes. This is what
  /// clears the mount of a killed daemon ("Transport endpoint is not connected").
  @discardableResult
  public static func lazyUnmount(_ mountPoint: String) -> Int32 {
    umount2(mountPoint, Int32(MNT_DETACH)) == 0 ? 0 : errno
  }

  /// The path as mountinfo shows it (absolute, symlinks resolved when possible).
  public static func canonicalPath(_ path: String) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    if realpath(path, &buffer) != nil {
      return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }

  /// mountinfo escapes space, tab, newline and backslash as octal.
  static func unescape(_ field: String) -> String {
    var result = ""
    let characters = Array(field)
    var index = 0
    while index < characters.count {
      if characters[index] == "\\", index + 3 < characters.count,
        let code = UInt8(String(characters[(index + 1)...(index + 3)]), radix: 8)
      {
        result.append(Character(UnicodeScalar(code)))
        index += 4
      } else {
        result.append(characters[index])
        index += 1
      }
    }
    return result
  }
}
