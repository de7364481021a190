import Testing

@testable import GooseFSCore

@Suite("-D options")
struct JavaOptionsTests {
  @Test func keepsOnlyDefinitionsInOrder() {
    let parsed = JavaOptions.parse(
      " -Xmx12G -Da=1 -XX:+UseG1GC -Db=x=y -Dflag  -Da=2 -server ", environment: [:])
    #expect(parsed.map(\.0) == ["a", "b", "a"])
    #expect(parsed.map(\.1) == ["1", "x=y", "2"])
  }

  @Test func expandsEnvironmentVariables() {
    let parsed = JavaOptions.parse(
      "-Dgoosefs.worker.hostname=${HOST_IP} -Dx=${A}-${B} -Dy=${goosefs.work.dir}/j",
      environment: ["HOST_IP": "10.0.0.7", "A": "a"])
    #expect(parsed.map(\.1) == ["10.0.0.7", "a-", "${goosefs.work.dir}/j"])
  }

  @Test func undefinedVariableMeansUnset() {
    let parsed = JavaOptions.parse("-Dgoosefs.user.hostname=${GOOSEFS_CLIENT_HOSTNAME} -De=", environment: [:])
    #expect(parsed.isEmpty)
  }

  @Test func extractsDefinitionsAnywhereInArgv() {
    let (properties, remaining) = JavaOptions.extractSystemProperties(from: [
      "fs", "-Dgoosefs.user.file.metadata.sync.interval=0", "distributedLoad", "-Dk=v=w", "--replication", "1",
      "/p", "-D", "--", "-Dnot=a.property",
    ])
    #expect(properties.map(\.0) == ["goosefs.user.file.metadata.sync.interval", "k"])
    #expect(properties.map(\.1) == ["0", "v=w"])
    #expect(remaining == ["fs", "distributedLoad", "--replication", "1", "/p", "-D", "--", "-Dnot=a.property"])
  }
}
