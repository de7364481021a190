import GooseFSCore

/// Typed option values with the shell's usage-error wording.
extension ParsedArguments {
  /// A whole number ≥ `minimum`, or `defaultValue` when the option is absent.
  func integer(_ key: String, minimum: Int, default defaultValue: Int) throws(ShellFailure) -> Int {
    guard let text = value(key) else { return defaultValue }
    guard let number = Int(text), number >= minimum else {
      throw .usage("Invalid value \(text) for --\(key): expected an integer ≥ \(minimum)")
    }
    return number
  }

  /// A byte size such as `1024`, `4KB` or `8MB` (binary units), or nil when absent.
  func byteSize(_ key: String, flag: String) throws(ShellFailure) -> Int64? {
    guard let text = value(key) else { return nil }
    guard let bytes = try? ByteSize.parse(text) else {
      throw .usage("Invalid value \(text) for \(flag): expected a size such as 1024 or 4KB")
    }
    return bytes
  }
}
