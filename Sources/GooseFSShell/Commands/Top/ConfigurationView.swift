import GooseFSCore

/// The only place that touches the Configuration API, so that the shell adapts to it in one spot.
enum ConfigurationView {
  struct Property {
    let name: String
    /// Already masked when secret.
    let value: String
    let source: String
  }

  /// Every resolved property, sorted by name, secrets masked.
  static func all(_ configuration: Configuration) -> [Property] {
    configuration.resolvedProperties
      .map { property in
        Property(
          name: property.name,
          value: Configuration.mask(name: property.name, value: property.value),
          source: property.source.rawValue)
      }
      .sorted { $0.name < $1.name }
  }

  /// Registered keys are valid even when unset; any key that has a value (e.g. given with -D or
  /// in goosefs-site.properties) is valid too.
  static func isKnown(_ key: String, in configuration: Configuration) -> Bool {
    PropertyKeys.find(key) != nil || configuration.value(named: key) != nil
  }

  static func source(of key: String, in configuration: Configuration) -> String {
    configuration.source(named: key)?.rawValue ?? "DEFAULT"
  }
}
