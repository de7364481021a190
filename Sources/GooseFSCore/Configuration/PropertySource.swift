/// Where a resolved value came from; printed by `getConf --source` with Alluxio's names.
public enum PropertySource: String, Sendable, CaseIterable {
  case defaultValue = "DEFAULT"
  case siteProperty = "SITE_PROPERTY"
  case environmentVariable = "ENVIRONMENT_VARIABLE"
  /// `-Dkey=value`, whether from a `*_JAVA_OPTS` variable or the command line.
  case systemProperty = "SYSTEM_PROPERTY"
}
