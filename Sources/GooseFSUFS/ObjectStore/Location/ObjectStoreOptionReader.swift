import Foundation
import GooseFSCore

/// Typed access to a mount's option map. Parse errors name the key and echo the value only for
/// keys that cannot be secret (callers never read credentials through the typed getters).
struct ObjectStoreOptionReader: Sendable {
  let options: [String: String]

  /// The first non-empty value among `keys`, trimmed.
  func string(_ keys: String...) -> String? {
    for key in keys {
      if let value = options[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
    }
    return nil
  }

  func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
    guard let text = string(key) else { return defaultValue }
    switch text.lowercased() {
    case "true": return true
    case "false": return false
    default: throw invalid(key, text, expected: "true or false")
    }
  }

  func integer(_ key: String, default defaultValue: Int, minimum: Int = 1) throws -> Int {
    guard let text = string(key) else { return defaultValue }
    guard let value = Int(text), value >= minimum else {
      throw invalid(key, text, expected: "an integer of at least \(minimum)")
    }
    return value
  }

  func byteSize(_ keys: String..., default defaultValue: Int64, minimum: Int64 = 1) throws -> Int64 {
    for key in keys {
      guard let text = string(key) else { continue }
      let value = try ByteSize.parse(text)
      guard value >= minimum else { throw invalid(key, text, expected: "at least \(ByteSize.format(minimum))") }
      return value
    }
    return defaultValue
  }

  /// Alluxio duration grammar (`50sec`, `1min`, plain milliseconds).
  func duration(_ keys: String..., default defaultValue: Duration) throws -> Duration {
    for key in keys {
      guard let text = string(key) else { continue }
      let milliseconds = try TimeDuration.parseMilliseconds(text)
      guard milliseconds > 0 else { throw invalid(key, text, expected: "a positive duration") }
      return .milliseconds(milliseconds)
    }
    return defaultValue
  }

  private func invalid(_ key: String, _ value: String, expected: String) -> GooseFSError {
    GooseFSError(.invalidArgument, "Invalid value \"\(value)\" for \(key): expected \(expected).")
  }
}
