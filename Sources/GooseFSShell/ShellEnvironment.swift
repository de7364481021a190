import Foundation
import GooseFSClient
import GooseFSCore

/// Everything a command needs, injected so that tests can replace the master and capture output.
public struct ShellEnvironment: Sendable {
  /// Already resolved, including the `-Dk=v` tokens of this invocation
  /// (see `GooseFSShell.splitSystemProperties`).
  public var configuration: Configuration
  /// Connects to the master. Called lazily, only by commands that need the cluster, so that
  /// `getConf`, `version` and usage errors work without a running master. The data side
  /// (streams, cache, free, workers) is needed by `cat`, `copyFromLocal`, `load`, `report` …
  public var makeFileSystem: @Sendable (Configuration) async throws -> any DataFileSystem
  /// Wipes `goosefs.master.journal.folder` (used by `format` and `formatJournal`).
  public var formatJournal: @Sendable (Configuration) throws -> Void
  public var output: ShellOutput
  /// Dates (`ls`, `stat -f %y`, report `Started:`) are printed in this zone, like Java's default.
  public var timeZone: TimeZone
  /// Printed by `version -r`.
  public var revision: String
  /// Host name printed by `format` when goosefs.master.hostname is unset.
  public var hostName: String

  public init(
    configuration: Configuration,
    makeFileSystem: @escaping @Sendable (Configuration) async throws -> any DataFileSystem,
    formatJournal: @escaping @Sendable (Configuration) throws -> Void,
    output: ShellOutput = .console(),
    timeZone: TimeZone = .current,
    revision: String = "unknown",
    hostName: String = ProcessInfo.processInfo.hostName
  ) {
    self.configuration = configuration
    self.makeFileSystem = makeFileSystem
    self.formatJournal = formatJournal
    self.output = output
    self.timeZone = timeZone
    self.revision = revision
    self.hostName = hostName
  }
}
