import Foundation
import GooseFSCore
import Synchronization
import Testing

@testable import GooseFSShell

@Suite struct AdminCommandTests {
  @Test(arguments: [["fsadmin", "report"], ["fsadmin", "report", "summary"]])
  func summary(_ commandLine: [String]) async throws {
    let result = try await ShellHarness.run(commandLine)
    #expect(result.code == 0)
    let lines = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
    #expect(result.lines[0] == "GooseFS cluster summary: ")
    #expect(lines[1].trimmingCharacters(in: .whitespaces) == "Master Address: 172.18.0.2:20000")
    #expect(result.lines.contains("    Total Capacity: 0B"))
    #expect(result.lines.contains("    Uptime: 0 day(s), 1 hour(s), 3 minute(s), and 35 second(s)"))
    #expect(result.lines.contains("    Started: 01-01-1970 00:00:00:000"))
  }

  @Test func summaryFailsWithoutAMaster() async throws {
    let result = try await ShellHarness.run(["fsadmin", "report"], connect: false)
    #expect(result.code != 0)
    #expect(result.stdout == "Failed to connect to master (localhost:9200)\n")
  }

  @Test func datePatternComesFromConfiguration() async throws {
    let result = try await ShellHarness.run(["fsadmin", "-Dgoosefs.user.date.format.pattern=yyyy", "report"])
    #expect(result.lines.contains("    Started: 1970"))
  }

  @Test func capacity() async throws {
    let result = try await ShellHarness.run(["fsadmin", "report", "capacity"])
    #expect(result.code == 0)
    #expect(result.lines.first == "Capacity information for all workers: ")
    #expect(result.lines.last?.hasPrefix("Worker Name") == true)
    let live = try await ShellHarness.run(["fsadmin", "report", "capacity", "-live"])
    #expect(live.lines.first == "Capacity information for live workers: ")
    let both = try await ShellHarness.run(["fsadmin", "report", "capacity", "-live", "-lost"])
    #expect(both.code == 255)
  }

  @Test func metricsAlwaysHaveFilesCompleted() async throws {
    let fs = InMemoryFileSystem()
    fs.state.withLock {
      $0.metrics = [
        MetricValue(name: "Master.FilesCompleted", kind: .counter, value: 1234),
        MetricValue(name: "Cluster.BytesReadLocal", kind: .counter, value: 0),
      ]
    }
    let result = try await ShellHarness.run(["fsadmin", "report", "metrics"], fileSystem: fs)
    #expect(result.code == 0)
    #expect(result.lines == [
      "Cluster.BytesReadLocal  (Type: COUNTER, Value: 0B)",
      "Master.FilesCompleted  (Type: COUNTER, Value: 1,234)",
    ])
  }

  @Test func unknownCategoryAndCommand() async throws {
    let category = try await ShellHarness.run(["fsadmin", "report", "bogus"])
    #expect(category.code == 255)
    #expect(category.lines[0] == "report category is invalid: bogus")
    let command = try await ShellHarness.run(["fsadmin", "bogus"])
    #expect(command.code == 255)
    #expect(command.lines[0] == "bogus is an unknown command.")
  }
}

@Suite struct TopLevelCommandTests {
  @Test func getConfKnownKey() async throws {
    let result = try await ShellHarness.run(["getConf", "goosefs.underfs.version"], connect: false)
    #expect(result.code == 0)
    #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }

  @Test func getConfSetButUnregisteredKeyAndOverride() async throws {
    let custom = try await ShellHarness.run(["getConf", "-Dmy.custom.key=42", "my.custom.key"])
    #expect(custom.code == 0)
    #expect(custom.stdout == "42\n")
    let source = try await ShellHarness.run(["-Dgoosefs.underfs.version=2.7", "getConf", "--source", "goosefs.underfs.version"])
    #expect(source.stdout == "SYSTEM_PROPERTY\n")
  }

  @Test func getConfUnknownKeyFails() async throws {
    let result = try await ShellHarness.run(["getConf", "no.such.key"])
    #expect(result.code == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("no.such.key is not a valid configuration key\n"))
  }

  @Test func getConfKnownButUnsetPrintsEmptyLine() async throws {
    let result = try await ShellHarness.run(["getConf", "goosefs.master.hostname"])
    #expect(result.code == 0)
    #expect(result.stdout == "\n")
  }

  @Test func getConfUnits() async throws {
    let bytes = try await ShellHarness.run(["getConf", "--unit", "KB", "goosefs.user.block.size.bytes.default"])
    #expect(bytes.stdout == "65536\n")
    let time = try await ShellHarness.run(["getConf", "--unit", "S", "-Dx.interval=5min", "x.interval"])
    #expect(time.stdout == "300\n")
    let bad = try await ShellHarness.run(["getConf", "--unit", "parsec", "goosefs.user.block.size.bytes.default"])
    #expect(bad.code == 1)
  }

  @Test func getConfAllIsSortedAndMasked() async throws {
    let result = try await ShellHarness.run(["getConf", "-Dfs.cos.secret.key=TOPSECRET", "--source"])
    #expect(result.code == 0)
    let names = result.lines.map { String($0.prefix { $0 != "=" }) }
    #expect(names == names.sorted())
    #expect(!result.stdout.contains("TOPSECRET"))
    #expect(result.lines.contains { $0.hasPrefix("fs.cos.secret.key=") && $0.hasSuffix(" (SYSTEM_PROPERTY)") })
    let single = try await ShellHarness.run(["getConf", "-Dfs.cos.secret.key=TOPSECRET", "fs.cos.secret.key"])
    #expect(!single.stdout.contains("TOPSECRET"))
  }

  @Test func version() async throws {
    var result = try await ShellHarness.run(["version"], connect: false)
    #expect(result.code == 0)
    #expect(result.stdout == "\(GooseFSVersion.current)\n")
    result = try await ShellHarness.run(["version", "-r"])
    #expect(result.stdout == "\(GooseFSVersion.current)-0123456789abcdef\n")
    result = try await ShellHarness.run(["version", "-r", "8"])
    #expect(result.stdout == "\(GooseFSVersion.current)-01234567\n")
  }

  @Test func formatAndFormatJournal() async throws {
    let calls = Mutex(0)
    let counting: @Sendable (Configuration) throws -> Void = { _ in calls.withLock { $0 += 1 } }
    var result = try await ShellHarness.run(["format"], formatJournal: counting, connect: false)
    #expect(result.code == 0)
    #expect(result.lines.first == "Formatting GooseFS Master @ master-0")
    result = try await ShellHarness.run(["formatJournal"], formatJournal: counting, connect: false)
    #expect(result.code == 0)
    #expect(result.lines.first?.hasPrefix("Formatting master journal: ") == true)
    #expect(calls.withLock { $0 } == 2)
    let failing: @Sendable (Configuration) throws -> Void = { _ in throw GooseFSError(.ioError, "journal folder is locked") }
    result = try await ShellHarness.run(["formatJournal"], formatJournal: failing)
    #expect(result.code == 255)
    #expect(result.lines.last == "journal folder is locked")
  }

  @Test func helpAndUnknown() async throws {
    var result = try await ShellHarness.run(["help"])
    #expect(result.code == 0)
    #expect(result.lines[0].hasPrefix("Usage: goosefs"))
    result = try await ShellHarness.run([])
    #expect(result.code != 0)
    result = try await ShellHarness.run(["bogus"])
    #expect(result.code == 255)
    #expect(result.lines[0] == "bogus is an unknown command.")
  }
}
