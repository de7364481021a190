import Logging

/// Start-up checks: fail fast on a malformed value rather than when the code reading it first
/// runs, possibly hours later.
extension Configuration {
  /// Throws `invalidArgument` for the first (by name) configured value of a known key that does
  /// not have its key's form. Unknown and Java class keys are not errors (see `ignoredKeys`).
  public func validate() throws {
    // Registered UFS keys (`fs.cos.connection.max`) are checked as well as `goosefs.*` ones.
    for name in entries.keys.sorted() where PropertyNameKind(name) != .ignored {
      guard let key = PropertyKeys.find(name), let text = value(named: name) else { continue }
      guard key.type.accepts(text) else {
        throw Configuration.invalidValue(text, for: name, key.type)
      }
    }
  }

  /// Logs each ignored key once, so users learn that e.g. `fs.cosn.impl` has no effect here.
  public func logIgnoredKeys(to logger: Logger) {
    for name in ignoredKeys {
      logger.info("Ignoring configuration key \(name): it has no effect in GooseFS-Swift")
    }
  }
}
