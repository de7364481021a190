import Foundation

/// The resolved configuration of one process: built-in defaults overlaid by every configured
/// layer (see `load`). Values are kept as written and `${…}` references are resolved on read,
/// so a later override of `goosefs.work.dir` moves everything defined relative to it.
public struct Configuration: Sendable {
  struct Entry: Sendable {
    var value: String
    var source: PropertySource
  }

  /// Explicitly configured values (not defaults), later layers already applied.
  private(set) var entries: [String: Entry]
  /// Used for `${VAR}` references in values that do not name a property.
  let environment: [String: String]
  /// The `goosefs-site.properties` that was read, if any; worth logging at startup.
  public internal(set) var siteFile: String?

  init(entries: [String: Entry], environment: [String: String], siteFile: String?) {
    self.entries = entries
    self.environment = environment
    self.siteFile = siteFile
  }

  /// Defaults plus `properties` as system properties; `environment` only serves `${VAR}`
  /// references. For tests and tools that build configuration in code.
  public init(properties: [String: String], environment: [String: String] = [:]) {
    self.init(entries: [:], environment: environment, siteFile: nil)
    apply(properties.sorted { $0.key < $1.key }, source: .systemProperty)
  }

  /// A copy with `overrides` on top as system properties, such as a command's own `-D` options.
  public func with(_ overrides: [(String, String)]) -> Configuration {
    var copy = self
    copy.apply(overrides, source: .systemProperty)
    return copy
  }

  /// Layers `properties` over the current values; the last of several equal keys wins.
  /// An empty value never overrides: "empty means unset" throughout GooseFS configuration.
  mutating func apply(_ properties: [(String, String)], source: PropertySource) {
    for (name, value) in properties {
      let name = PropertyValueParsing.trim(name)
      let value = PropertyValueParsing.trim(value)
      guard !name.isEmpty, !value.isEmpty else { continue }
      entries[name] = Entry(value: value, source: source)
    }
  }

  // MARK: - Raw and resolved values

  /// The value as configured or defaulted, before `${…}` resolution.
  func rawValue(named name: String) -> (value: String, source: PropertySource)? {
    if let entry = entries[name] { return (entry.value, entry.source) }
    if let defaultValue = PropertyKeys.find(name)?.defaultValue { return (defaultValue, .defaultValue) }
    return nil
  }

  /// Resolved value with `${…}` expanded; nil when unset or when it resolves to nothing.
  public func value(named name: String) -> String? {
    guard let raw = rawValue(named: name) else { return nil }
    let resolved = PropertyValueParsing.trim(resolve(raw.value, visiting: [name]))
    return resolved.isEmpty ? nil : resolved
  }

  public func value(_ key: PropertyKey) -> String? { value(named: key.name) }

  /// Whether `key` has a non-empty value, from any layer including its default.
  public func isSet(_ key: PropertyKey) -> Bool { value(key) != nil }

  /// The layer that supplied `name`'s value; nil when it has none.
  public func source(named name: String) -> PropertySource? { rawValue(named: name)?.source }

  /// `${name}` becomes the property's resolved value, else the environment variable's, else
  /// nothing. `visiting` holds the names being resolved, so a cycle resolves to empty instead
  /// of recursing forever.
  private func resolve(_ text: String, visiting: Set<String>) -> String {
    VariableReferences.expand(text) { reference in
      let name = PropertyValueParsing.trim(reference)
      if visiting.contains(name) {
        configurationLogger.warning("Cyclic reference to ${\(name)} in configuration; treating it as empty")
        return ""
      }
      if let raw = rawValue(named: name) {
        return resolve(raw.value, visiting: visiting.union([name]))
      }
      return environment[name] ?? ""
    }
  }

  // MARK: - Collections of values

  /// Every property with a value, defaults included, sorted by name; values unmasked (use
  /// `mask(name:value:)` before printing).
  public var resolvedProperties: [(name: String, value: String, source: PropertySource)] {
    let names = Set(entries.keys).union(PropertyKeys.all.map(\.name))
    return names.sorted().compactMap { name in
      guard let value = value(named: name), let source = source(named: name) else { return nil }
      return (name, value, source)
    }
  }

  /// Resolved values of all properties, defaults included, whose names start with `prefix`;
  /// keys are the full names.
  public func properties(withPrefix prefix: String) -> [String: String] {
    var result: [String: String] = [:]
    for (name, value, _) in resolvedProperties where name.hasPrefix(prefix) {
      result[name] = value
    }
    return result
  }

  /// Options for the root mount: `goosefs.master.mount.table.root.option.<k>` (as `<k>`) plus
  /// every configured UFS property such as `fs.cosn.userinfo.secretId` (as is), which is how
  /// Fluid passes root-mount credentials. Java class keys (`*.impl`) are left out.
  public var rootMountOptions: [String: String] {
    var options: [String: String] = [:]
    for name in entries.keys {
      guard let value = value(named: name) else { continue }
      switch PropertyNameKind(name) {
      case .underFileSystem: options[name] = value
      default: break
      }
    }
    // Explicit root options win over same-named UFS properties.
    for name in entries.keys where PropertyNameKind(name) == .rootMountOption {
      guard let value = value(named: name) else { continue }
      options[String(name.dropFirst(PropertyKeys.masterMountTableRootOptionPrefix.count))] = value
    }
    return options
  }

  /// Configured keys that have no effect here, sorted: Java class names (`*.impl`, `*.class`),
  /// unknown `goosefs.*` keys and foreign keys (`log4j.*`). Log each once; they are never errors.
  public var ignoredKeys: [String] {
    entries.keys.filter { PropertyNameKind($0) == .ignored }.sorted()
  }
}
