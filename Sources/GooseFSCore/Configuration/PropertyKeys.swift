/// The registry of known keys. Each area of the system declares its keys in its own file
/// (`PropertyKeys+Master.swift`, …) and lists them in its group array, which feeds `all`.
public enum PropertyKeys {
  /// Every concrete key, including the templated tier keys for levels 0…2 and the impersonation
  /// keys for the `root` user that Fluid sets. Other levels/users are found by `find(_:)`.
  public static let all: [PropertyKey] =
    commonKeys + masterKeys + workerKeys + tieredStoreKeys + userKeys + securityKeys + jobKeys + fuseKeys
    + underFileSystemKeys

  private static let byName: [String: PropertyKey] = Dictionary(
    all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

  private static let templates: [PropertyKeyTemplate] = tieredStoreTemplates + impersonationTemplates

  /// The key called `name`, including any level of a templated tier key.
  public static func find(_ name: String) -> PropertyKey? {
    if let key = byName[name] { return key }
    for template in templates {
      if let key = template.match(name) { return key }
    }
    return nil
  }
}
