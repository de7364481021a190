/// The Java `.properties` format used by `goosefs-site.properties`: `#`/`!` comments,
/// `key=value`, `key: value` or `key value`, backslash line continuation and escapes.
/// Values are trimmed at both ends (Java keeps trailing blanks, which only ever cause surprises).
public enum JavaPropertiesFormat {
  /// Entries in file order; a repeated key appears twice and the later one wins when applied.
  public static func parse(_ text: String) -> [(String, String)] {
    var entries: [(String, String)] = []
    for line in logicalLines(text) {
      if let entry = parseEntry(line) { entries.append(entry) }
    }
    return entries
  }

  /// Joins physical lines ending in an odd number of backslashes with the next line, whose
  /// leading whitespace is dropped; comment and blank lines are removed.
  private static func logicalLines(_ text: String) -> [String] {
    var lines: [String] = []
    var pending: String?
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
      let stripped = String(rawLine.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
      if pending == nil, stripped.isEmpty || stripped.hasPrefix("#") || stripped.hasPrefix("!") { continue }
      var content = (pending ?? "") + stripped
      if endsWithContinuation(content) {
        content.removeLast()
        pending = content
      } else {
        pending = nil
        lines.append(content)
      }
    }
    if let pending { lines.append(pending) }
    return lines
  }

  private static func endsWithContinuation(_ line: String) -> Bool {
    line.reversed().prefix { $0 == "\\" }.count % 2 == 1
  }

  /// The key ends at the first unescaped `=`, `:` or whitespace; then whitespace and at most one
  /// `=` or `:` separate it from the value.
  private static func parseEntry(_ line: String) -> (String, String)? {
    var key = ""
    var index = line.startIndex
    var escaped = false
    while index < line.endIndex {
      let character = line[index]
      if escaped {
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == "=" || character == ":" || character.isWhitespace {
        break
      }
      key.append(character)
      index = line.index(after: index)
    }
    var rest = line[index...].drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
    if let separator = rest.first, separator == "=" || separator == ":" {
      rest = rest.dropFirst()
    }
    let name = unescape(key)
    guard !name.isEmpty else { return nil }
    return (name, PropertyValueParsing.trim(unescape(String(rest))))
  }

  /// `\t`, `\n`, `\r`, `\f`, `\uXXXX`; any other escaped character stands for itself.
  private static func unescape(_ text: String) -> String {
    guard text.contains("\\") else { return text }
    var result = ""
    var characters = text.makeIterator()
    while let character = characters.next() {
      guard character == "\\", let next = characters.next() else {
        if character != "\\" { result.append(character) }
        continue
      }
      switch next {
      case "t": result.append("\t")
      case "n": result.append("\n")
      case "r": result.append("\r")
      case "f": result.append("\u{0C}")
      case "u":
        var hex = ""
        while hex.count < 4, let digit = characters.next() { hex.append(digit) }
        if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
          result.append(Character(scalar))
        } else {
          result += "\\u" + hex
        }
      default: result.append(next)
      }
    }
    return result
  }
}
