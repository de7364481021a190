import Foundation
import Testing

@testable import GooseFSCore

@Suite("Configuration layers")
struct ConfigurationLoadingTests {
  typealias Support = ConfigurationTestSupport
  static let key = "goosefs.master.hostname"

  /// Loads with a site file setting `key` and every other layer optionally setting it too.
  func hostname(
    site: Bool = true, environmentVariable: Bool = false, javaOptions: Bool = false,
    componentOptions: Bool = false, commandLine: Bool = false
  ) throws -> (String?, PropertySource?) {
    let conf = try Support.makeTemporaryDirectory()
    defer { Support.remove(conf) }
    if site { try Support.write("\(Self.key)=from-site\n", to: conf + "/goosefs-site.properties") }
    var environment = ["GOOSEFS_CONF_DIR": conf]
    if environmentVariable { environment["GOOSEFS_MASTER_HOSTNAME"] = "from-env" }
    if javaOptions { environment["GOOSEFS_JAVA_OPTS"] = "-D\(Self.key)=from-java-opts" }
    if componentOptions { environment["GOOSEFS_MASTER_JAVA_OPTS"] = "-D\(Self.key)=from-master-opts" }
    let configuration = try Configuration.load(
      component: .master,
      commandLineProperties: commandLine ? [(Self.key, "from-command-line")] : [],
      environment: environment)
    return (configuration.value(named: Self.key), configuration.source(named: Self.key))
  }

  @Test func eachLayerOverridesTheOneBelow() throws {
    #expect(try hostname(site: false) == (nil, nil))
    #expect(try hostname() == ("from-site", .siteProperty))
    #expect(try hostname(environmentVariable: true) == ("from-env", .environmentVariable))
    #expect(try hostname(environmentVariable: true, javaOptions: true) == ("from-java-opts", .systemProperty))
    #expect(
      try hostname(environmentVariable: true, javaOptions: true, componentOptions: true)
        == ("from-master-opts", .systemProperty))
    #expect(
      try hostname(environmentVariable: true, javaOptions: true, componentOptions: true, commandLine: true)
        == ("from-command-line", .systemProperty))
  }

  @Test func defaultsReportTheirSource() throws {
    let configuration = Configuration(properties: [:])
    #expect(configuration.value(PropertyKeys.masterRpcPort) == "9200")
    #expect(configuration.source(named: PropertyKeys.masterRpcPort.name) == .defaultValue)
    #expect(configuration.value(PropertyKeys.underfsVersion) == "3.3.4")
  }

  @Test func clientReadsUserThenClientOptionsAndNotServerOnes() throws {
    let environment = [
      "GOOSEFS_CONF_DIR": "/nonexistent",
      "GOOSEFS_JAVA_OPTS": "-Da=java -Db=java -Dc=java",
      "GOOSEFS_USER_JAVA_OPTS": "-Db=user -Dc=user",
      "GOOSEFS_CLIENT_JAVA_OPTS": "-Dc=client",
      "GOOSEFS_MASTER_JAVA_OPTS": "-Da=master",
    ]
    let client = try Configuration.load(component: .client, environment: environment)
    #expect([client.value(named: "a"), client.value(named: "b"), client.value(named: "c")] == ["java", "user", "client"])
    let master = try Configuration.load(component: .master, environment: environment)
    #expect([master.value(named: "a"), master.value(named: "b"), master.value(named: "c")] == ["master", "java", "java"])
  }

  @Test(arguments: [
    (GooseFSComponent.worker, "GOOSEFS_WORKER_JAVA_OPTS"),
    (.fuse, "GOOSEFS_FUSE_JAVA_OPTS"),
    (.jobMaster, "GOOSEFS_JOB_MASTER_JAVA_OPTS"),
    (.jobWorker, "GOOSEFS_JOB_WORKER_JAVA_OPTS"),
  ])
  func componentOptionsOverrideSharedOnes(component: GooseFSComponent, variable: String) throws {
    let configuration = try Configuration.load(
      component: component,
      environment: ["GOOSEFS_CONF_DIR": "/nonexistent", "GOOSEFS_JAVA_OPTS": "-Dk=shared", variable: "-Dk=own"])
    #expect(configuration.value(named: "k") == "own")
  }

  @Test func homeAndDirectoriesFollowGooseFSHome() throws {
    let configuration = try Configuration.load(component: .master, environment: ["GOOSEFS_HOME": "/srv/goosefs"])
    #expect(configuration.value(PropertyKeys.home) == "/srv/goosefs")
    #expect(configuration.source(named: PropertyKeys.home.name) == .environmentVariable)
    #expect(configuration.value(PropertyKeys.confDir) == "/srv/goosefs/conf")
    #expect(configuration.value(PropertyKeys.workDir) == "/srv/goosefs")
    #expect(configuration.value(PropertyKeys.logsDir) == "/srv/goosefs/logs")
    #expect(configuration.value(PropertyKeys.masterJournalFolder) == "/srv/goosefs/journal")
    #expect(configuration.value(PropertyKeys.masterMountTableRootUfs) == "/srv/goosefs/underFSStorage")
    let withLogs = try Configuration.load(
      component: .master, environment: ["GOOSEFS_HOME": "/srv/goosefs", "GOOSEFS_LOGS_DIR": "/var/log/gfs"])
    #expect(withLogs.value(PropertyKeys.logsDir) == "/var/log/gfs")
  }

  @Test func siteFileIsFoundUnderGooseFSHome() throws {
    let home = try Support.makeTemporaryDirectory()
    defer { Support.remove(home) }
    try Support.write("goosefs.master.rpc.port=19998\n", to: home + "/conf/goosefs-site.properties")
    let configuration = try Configuration.load(component: .client, environment: ["GOOSEFS_HOME": home])
    #expect(try configuration.int(PropertyKeys.masterRpcPort) == 19998)
    #expect(configuration.siteFile == home + "/conf/goosefs-site.properties")
  }

  @Test func withoutVariablesTheWorkingDirectoryConfComesFirst() throws {
    let work = try Support.makeTemporaryDirectory()
    let userHome = try Support.makeTemporaryDirectory()
    defer {
      Support.remove(work)
      Support.remove(userHome)
    }
    try Support.write("goosefs.master.hostname=from-cwd\n", to: work + "/conf/goosefs-site.properties")
    try Support.write("goosefs.master.hostname=from-user-home\n", to: userHome + "/.goosefs/goosefs-site.properties")
    let fromCwd = try Configuration.load(component: .client, environment: ["HOME": userHome], currentDirectory: work)
    #expect(fromCwd.value(PropertyKeys.masterHostname) == "from-cwd")
    Support.remove(work + "/conf")
    let fromHome = try Configuration.load(component: .client, environment: ["HOME": userHome], currentDirectory: work)
    #expect(fromHome.value(PropertyKeys.masterHostname) == "from-user-home")
  }

  @Test func siteConfDirSystemPropertyChoosesTheSiteFile() throws {
    let conf = try Support.makeTemporaryDirectory()
    defer { Support.remove(conf) }
    try Support.write("goosefs.master.hostname=chosen\n", to: conf + "/goosefs-site.properties")
    let configuration = try Configuration.load(
      component: .client,
      commandLineProperties: [("goosefs.site.conf.dir", "/nonexistent," + conf)],
      environment: ["GOOSEFS_CONF_DIR": "/nonexistent"])
    #expect(configuration.value(PropertyKeys.masterHostname) == "chosen")
  }

  @Test func environmentScriptSuppliesJavaOptions() throws {
    let conf = try Support.makeTemporaryDirectory()
    defer { Support.remove(conf) }
    // What Fluid's DataLoad env_init.sh writes.
    try Support.write(
      """
      export GOOSEFS_JAVA_OPTS="-Dgoosefs.master.hostname=slice1-master-0 -Dgoosefs.master.rpc.port=26001 "
      export GOOSEFS_CLIENT_JAVA_OPTS=" -Dgoosefs.user.hostname=${GOOSEFS_CLIENT_HOSTNAME}"
      if [ -n "$X" ]; then echo hi; fi
      LITERAL='${NOT_EXPANDED}'
      """, to: conf + "/goosefs-env.sh")
    let configuration = try Configuration.load(
      component: .client, environment: ["GOOSEFS_CONF_DIR": conf, "GOOSEFS_CLIENT_HOSTNAME": "10.0.0.9"])
    #expect(configuration.value(PropertyKeys.masterHostname) == "slice1-master-0")
    #expect(try configuration.int(PropertyKeys.masterRpcPort) == 26001)
    #expect(configuration.value(PropertyKeys.userHostname) == "10.0.0.9")
    #expect(configuration.environment["LITERAL"] == "${NOT_EXPANDED}")
  }

  @Test func laterDuplicatesWinAndEmptyValuesDoNotOverride() throws {
    let conf = try Support.makeTemporaryDirectory()
    defer { Support.remove(conf) }
    try Support.write("k=one\nk=two\nblank=kept\n", to: conf + "/goosefs-site.properties")
    let configuration = try Configuration.load(
      component: .client, environment: ["GOOSEFS_CONF_DIR": conf, "GOOSEFS_JAVA_OPTS": "-Dblank=${UNDEFINED}"])
    #expect(configuration.value(named: "k") == "two")
    #expect(configuration.value(named: "blank") == "kept")
    #expect(configuration.source(named: "blank") == .siteProperty)
  }

  @Test func withAddsSystemPropertiesOnTop() throws {
    let base = Configuration(properties: ["goosefs.user.file.metadata.sync.interval": "1min"])
    let command = base.with([("goosefs.user.file.metadata.sync.interval", "0")])
    #expect(try base.milliseconds(PropertyKeys.userFileMetadataSyncInterval) == 60_000)
    #expect(try command.milliseconds(PropertyKeys.userFileMetadataSyncInterval) == 0)
  }
}
