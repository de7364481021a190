/// Typed access. A value that does not parse throws the same `invalidArgument` error as
/// `validate()`; a key with no value throws too, since callers of a typed getter need one.
extension Configuration {
  /// Resolved value, or "" when unset.
  public func string(_ key: PropertyKey) -> String { value(key) ?? "" }

  public func int(_ key: PropertyKey) throws -> Int {
    try typed(key, .integer) { Int(PropertyValueParsing.trim($0)) }
  }

  public func bool(_ key: PropertyKey) throws -> Bool {
    try typed(key, .boolean, PropertyValueParsing.boolean)
  }

  public func double(_ key: PropertyKey) throws -> Double {
    try typed(key, .double, PropertyValueParsing.double)
  }

  /// A byte size such as `128MB`, in bytes.
  public func bytes(_ key: PropertyKey) throws -> Int64 {
    try typed(key, .byteSize) { try? ByteSize.parse($0) }
  }

  /// A duration such as `10min`, in milliseconds; `-1` stays -1.
  public func milliseconds(_ key: PropertyKey) throws -> Int64 {
    try typed(key, .duration) { try? TimeDuration.parseMilliseconds($0) }
  }

  /// One of `values`, spelled as listed there whatever case was configured.
  public func enumeration(_ key: PropertyKey) throws -> String {
    guard case .enumeration(let values) = key.type else { return try typed(key, .string) { $0 } }
    return try typed(key, key.type) { PropertyValueParsing.enumeration($0, values) }
  }

  /// An octal permission mask such as `022`, as a number.
  public func octalMode(_ key: PropertyKey) throws -> Int {
    try typed(key, .octalMode, PropertyValueParsing.octalMode)
  }

  /// Comma-separated entries, trimmed, empty ones skipped; [] when unset.
  public func list(_ key: PropertyKey) -> [String] {
    value(key).map(PropertyValueParsing.listEntries) ?? []
  }

  private func typed<Value>(_ key: PropertyKey, _ type: PropertyType, _ parse: (String) -> Value?) throws -> Value {
    guard let text = value(key) else {
      throw GooseFSError(.invalidArgument, "No value for \(key.name): expected \(type.expectedForm)")
    }
    guard let parsed = parse(text) else {
      throw Configuration.invalidValue(text, for: key.name, type)
    }
    return parsed
  }

  /// The message `validate()` and the getters share, naming the key, the value and the form.
  static func invalidValue(_ text: String, for name: String, _ type: PropertyType) -> GooseFSError {
    let shown = mask(name: name, value: text)
    return GooseFSError(.invalidArgument, "Invalid value \"\(shown)\" for \(name): expected \(type.expectedForm)")
  }
}
