import Testing

@testable import GooseFSShell

@Suite struct ArgumentParserTests {
  let lsOptions: [OptionSpec] = LsCommand.spec.options

  @Test func systemPropertiesAnywhere() {
    let (properties, remaining) = SystemProperties.split([
      "fs", "-Dgoosefs.user.file.metadata.sync.interval=0", "ls", "-R", "/", "-Da=b=c",
    ])
    #expect(remaining == ["fs", "ls", "-R", "/"])
    #expect(properties.map(\.0) == ["goosefs.user.file.metadata.sync.interval", "a"])
    #expect(properties.map(\.1) == ["0", "b=c"])
    // Without "=" (or with an empty key) a token is not a property; after "--" nothing is.
    #expect(SystemProperties.split(["-D", "-Dx", "-D=1"]).remaining == ["-D", "-Dx", "-D=1"])
    #expect(SystemProperties.split(["--", "-Dk=v"]).remaining == ["--", "-Dk=v"])
  }

  @Test func flagsBundlesAndPositionalsInAnyOrder() throws {
    let parsed = try ArgumentParser.parse(["/a", "-Rh", "-r", "/b"], options: lsOptions)
    #expect(parsed.flags == ["R", "h", "r"])
    #expect(parsed.positionals == ["/a", "/b"])
  }

  @Test(arguments: [["--sort", "size"], ["--sort=size"]])
  func longOptionValueForms(_ tokens: [String]) throws {
    let parsed = try ArgumentParser.parse(tokens + ["/"], options: lsOptions)
    #expect(parsed.value("sort") == "size")
    #expect(parsed.positionals == ["/"])
  }

  @Test func repeatedOptionKeepsAllValues() throws {
    let parsed = try ArgumentParser.parse(
      ["--readonly", "--option", "a=1", "--option=b=2", "--shared", "/m", "s3://b/p"],
      options: MountCommands.mount.options)
    #expect(parsed.allValues("option") == ["a=1", "b=2"])
    #expect(parsed.has("readonly") && parsed.has("shared"))
    #expect(parsed.positionals == ["/m", "s3://b/p"])
  }

  @Test func singleDashWordsAndShortValues() throws {
    let report = try ArgumentParser.parse(["capacity", "-workers", "a,b"], options: ReportCommand.spec.options)
    #expect(report.value("workers") == "a,b")
    let stat = try ArgumentParser.parse(["-f", "%N %z", "/x"], options: StatCommand.spec.options)
    #expect(stat.value("f") == "%N %z")
    let glued = try ArgumentParser.parse(["-f%u", "/x"], options: StatCommand.spec.options)
    #expect(glued.value("f") == "%u")
  }

  @Test func doubleDashEndsOptions() throws {
    let parsed = try ArgumentParser.parse(["--", "-R"], options: lsOptions)
    #expect(parsed.positionals == ["-R"])
    #expect(parsed.flags.isEmpty)
  }

  @Test(arguments: [["-x", "/"], ["--bogus", "/"], ["-Rx", "/"], ["--sort"], ["-R=1", "/"]])
  func unknownOrMalformedOptionsAreUsageErrors(_ tokens: [String]) {
    #expect(throws: ShellFailure.self) { try ArgumentParser.parse(tokens, options: lsOptions) }
  }

  @Test func argumentCountIsValidated() {
    #expect(throws: ShellFailure.usage("Command stat takes 1 argument, not 0")) {
      try StatCommand.spec.parse([])
    }
    #expect(throws: ShellFailure.usage("Command mv takes 2 arguments, not 3")) {
      try NamespaceCommands.mv.parse(["/a", "/b", "/c"])
    }
    #expect(throws: ShellFailure.usage("Failed to parse args for ls: Unrecognized option: -z")) {
      try LsCommand.spec.parse(["-z", "/"])
    }
  }

  @Test func ownerSpecs() {
    #expect(AttributeCommands.parseOwner("alice")! == ("alice", nil))
    #expect(AttributeCommands.parseOwner("alice:staff")! == ("alice", "staff"))
    #expect(AttributeCommands.parseOwner("svc$")! == ("svc$", nil))
    #expect(AttributeCommands.parseOwner("a:b:c") == nil)
    #expect(AttributeCommands.parseOwner(":staff") == nil)
  }
}
