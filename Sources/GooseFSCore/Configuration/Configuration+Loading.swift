import Foundation

/// Building a process's configuration from its files, environment and command line.
extension Configuration {
  /// Environment variables that set a property directly. They form one layer between the site
  /// file and `*_JAVA_OPTS`, matching the Alluxio launcher, which turns them into -D options
  /// placed before the user's own.
  static let environmentProperties: [(variable: String, property: String)] = [
    ("GOOSEFS_HOME", PropertyKeys.home.name),
    ("GOOSEFS_CONF_DIR", PropertyKeys.confDir.name),
    ("GOOSEFS_LOGS_DIR", PropertyKeys.logsDir.name),
    ("GOOSEFS_MASTER_HOSTNAME", PropertyKeys.masterHostname.name),
    ("GOOSEFS_MASTER_MOUNT_TABLE_ROOT_UFS", PropertyKeys.masterMountTableRootUfs.name),
    ("GOOSEFS_RAM_FOLDER", PropertyKeys.workerTieredstoreLevelDirsPath(0).name),
  ]

  /// Loads configuration with this precedence, lowest first:
  /// 1. built-in defaults;
  /// 2. `goosefs-site.properties` (see `ConfigurationDirectory` for the search path);
  /// 3. environment variables that name a property (`GOOSEFS_HOME`, `GOOSEFS_MASTER_HOSTNAME`, …);
  /// 4. `GOOSEFS_JAVA_OPTS`;
  /// 5. the component's own `*_JAVA_OPTS` (see `GooseFSComponent.javaOptionsVariables`);
  /// 6. `commandLineProperties` (`-Dk=v` from argv).
  ///
  /// `goosefs-env.sh` in the configuration directory is applied to `environment` first, as the
  /// launcher scripts would have sourced it.
  public static func load(
    component: GooseFSComponent,
    commandLineProperties: [(String, String)] = [],
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) throws -> Configuration {
    var environment = environment
    let earlySystemProperties = systemProperties(component, commandLineProperties, environment, logging: false)
    let directory = ConfigurationDirectory.locate(
      in: ConfigurationDirectory.candidates(
        siteConfDirs: siteConfDirs(in: earlySystemProperties),
        environment: environment,
        currentDirectory: currentDirectory))

    var siteProperties: [(String, String)] = []
    var siteFile: String?
    if let directory {
      if let script = try ConfigurationDirectory.read(directory + "/" + ConfigurationDirectory.environmentFileName) {
        environment = EnvironmentScript.apply(script, to: environment)
      }
      let sitePath = directory + "/" + ConfigurationDirectory.siteFileName
      if let text = try ConfigurationDirectory.read(sitePath) {
        siteProperties = JavaPropertiesFormat.parse(text)
        siteFile = sitePath
      }
    }

    var configuration = Configuration(entries: [:], environment: environment, siteFile: siteFile)
    configuration.apply(siteProperties, source: .siteProperty)
    configuration.apply(
      environmentProperties.compactMap { mapping in
        environment[mapping.variable].map { (mapping.property, $0) }
      },
      source: .environmentVariable)
    // Recomputed: goosefs-env.sh may have changed the *_JAVA_OPTS variables.
    configuration.apply(systemProperties(component, commandLineProperties, environment), source: .systemProperty)
    return configuration
  }

  /// Layers 4–6 in order, as `-D` pairs.
  private static func systemProperties(
    _ component: GooseFSComponent,
    _ commandLineProperties: [(String, String)],
    _ environment: [String: String],
    logging: Bool = true
  ) -> [(String, String)] {
    let variables = ["GOOSEFS_JAVA_OPTS"] + component.javaOptionsVariables
    let fromVariables = variables.flatMap { variable in
      environment[variable].map { JavaOptions.parse($0, environment: environment, logging: logging) } ?? []
    }
    return fromVariables + commandLineProperties
  }

  private static func siteConfDirs(in properties: [(String, String)]) -> [String] {
    guard let value = properties.last(where: { $0.0 == PropertyKeys.siteConfDir.name })?.1 else { return [] }
    return PropertyValueParsing.listEntries(value)
  }
}
