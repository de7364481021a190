/// A configuration key GooseFS understands. Identity is the name alone, so a templated key
/// (`goosefs.worker.tieredstore.level1.alias`) equals the same key found by name.
public struct PropertyKey: Sendable, Hashable {
  public let name: String
  /// Unresolved: may contain `${other.key}` references. nil means "unset unless configured".
  public let defaultValue: String?
  public let type: PropertyType
  public let description: String
  /// Explicitly secret; `Configuration.isSecret` also recognises secrets by name.
  public let isSecret: Bool

  public init(
    _ name: String,
    default defaultValue: String?,
    _ type: PropertyType,
    _ description: String,
    isSecret: Bool = false
  ) {
    self.name = name
    self.defaultValue = defaultValue
    self.type = type
    self.description = description
    self.isSecret = isSecret
  }

  public static func == (lhs: PropertyKey, rhs: PropertyKey) -> Bool { lhs.name == rhs.name }
  public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A family of keys that differ in one segment, such as the tier number in
/// `goosefs.worker.tieredstore.level<N>.alias` or the user in
/// `goosefs.master.security.impersonation.<user>.users`.
struct PropertyKeyTemplate: Sendable {
  enum Segment: Sendable {
    /// A tier ordinal: digits only.
    case number
    /// A user or group name: anything without a dot.
    case name
  }

  let prefix: String
  let suffix: String
  let segment: Segment
  let make: @Sendable (String) -> PropertyKey

  /// The concrete key for `name`, when `name` belongs to this family.
  func match(_ name: String) -> PropertyKey? {
    guard name.count > prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else {
      return nil
    }
    let variable = String(name.dropFirst(prefix.count).dropLast(suffix.count))
    switch segment {
    case .number: guard variable.allSatisfy({ $0.isASCII && $0.isWholeNumber }) else { return nil }
    case .name: guard !variable.contains(".") else { return nil }
    }
    return make(variable)
  }
}
