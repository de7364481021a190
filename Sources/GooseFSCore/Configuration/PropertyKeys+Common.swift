/// Locations, versions and process-wide switches.
extension PropertyKeys {
  public static let home = PropertyKey(
    "goosefs.home", default: "/opt/goosefs", .string,
    "Installation directory. Set from GOOSEFS_HOME when that variable is defined.")
  public static let confDir = PropertyKey(
    "goosefs.conf.dir", default: "${goosefs.home}/conf", .string,
    "Directory holding goosefs-site.properties and goosefs-env.sh. Set from GOOSEFS_CONF_DIR.")
  public static let siteConfDir = PropertyKey(
    "goosefs.site.conf.dir", default: nil, .list(.string),
    "Directories searched for goosefs-site.properties, in order. Only honoured as a -D system property (it decides which site file is read), replacing the default search path.")
  public static let workDir = PropertyKey(
    "goosefs.work.dir", default: "${goosefs.home}", .string,
    "Base directory for journal, metastore, logs and the default root UFS.")
  public static let logsDir = PropertyKey(
    "goosefs.logs.dir", default: "${goosefs.work.dir}/logs", .string,
    "Directory for log files. Set from GOOSEFS_LOGS_DIR.")
  public static let tmpDirs = PropertyKey(
    "goosefs.tmp.dirs", default: "/tmp", .list(.string), "Directories for temporary files.")
  public static let version = PropertyKey(
    "goosefs.version", default: GooseFSVersion.current, .string,
    "Version of this build, as printed by `goosefs version`. Informational; setting it changes nothing.")
  public static let underfsVersion = PropertyKey(
    "goosefs.underfs.version", default: "3.3.4", .string,
    "Hadoop version reported for the under storage. Fluid stores `goosefs getConf goosefs.underfs.version` in the Dataset status and will not bind the Dataset unless it prints something.")
  public static let webUiEnabled = PropertyKey(
    "goosefs.web.ui.enabled", default: "true", .boolean,
    "Serve the web UI pages. The web port answers (metrics, health) either way; Fluid sets false.")
  public static let proxyWebPort = PropertyKey(
    "goosefs.proxy.web.port", default: "39999", .integer, "REST/S3 proxy (API gateway) port.")
  public static let zookeeperEnabled = PropertyKey(
    "goosefs.zookeeper.enabled", default: "false", .boolean,
    "ZooKeeper-based leader election. Accepted for compatibility; not supported, must stay false.")
  public static let zookeeperAddress = PropertyKey(
    "goosefs.zookeeper.address", default: nil, .string, "ZooKeeper address (unused, see goosefs.zookeeper.enabled).")

  static let commonKeys: [PropertyKey] = [
    home, confDir, siteConfDir, workDir, logsDir, tmpDirs, version, underfsVersion, webUiEnabled,
    proxyWebPort, zookeeperEnabled, zookeeperAddress,
  ]
}
