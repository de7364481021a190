import GooseFSCore

/// `drwxr-xr-x` style permission strings (Alluxio FormatUtils.formatMode).
/// Alluxio itself only knows the nine rwx bits; setuid/setgid/sticky are rendered the POSIX way
/// (`s`/`S`, `t`/`T`) so that a mode coming from a POSIX under store is not silently dropped.
enum ModeText {
  static func format(_ mode: UInt32, isDirectory: Bool, hasExtendedACL: Bool = false) -> String {
    var characters = Array(ModeString.permissions(mode))
    // Execute positions 2, 5, 8 carry setuid, setgid and sticky.
    for (bit, position, symbol) in [(UInt32(0o4000), 2, "s"), (0o2000, 5, "s"), (0o1000, 8, "t")] as [(UInt32, Int, String)]
    where mode & bit != 0 {
      characters[position] = Character(characters[position] == "x" ? symbol : symbol.uppercased())
    }
    return (isDirectory ? "d" : "-") + String(characters) + (hasExtendedACL ? "+" : "")
  }

  /// Parses an octal mode as given to `chmod` (`755`, `0755`, `1777`).
  static func parseOctal(_ text: String) -> UInt32? {
    guard !text.isEmpty, text.count <= 4, text.allSatisfy({ ("0"..."7").contains($0) }) else { return nil }
    return UInt32(text, radix: 8)
  }
}
