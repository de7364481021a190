import Foundation
import GooseFSClient
import GooseFSCore

/// What a running command sees: the injected environment plus a lazily connected file system.
struct CommandContext: Sendable {
  let environment: ShellEnvironment

  var configuration: Configuration { environment.configuration }
  var output: ShellOutput { environment.output }
  var timeZone: TimeZone { environment.timeZone }

  /// Connects to the master. Commands call it once, after their arguments were validated,
  /// so usage errors never need a running master.
  func fileSystem() async throws -> any FileSystem {
    try await environment.makeFileSystem(environment.configuration)
  }

  /// `goosefs.user.date.format.pattern`, Alluxio's default when unset.
  var datePattern: String {
    environment.configuration.value(named: PropertyNames.datePattern) ?? DateText.defaultPattern
  }
}

/// Property names the shell reads.
enum PropertyNames {
  static let datePattern = "goosefs.user.date.format.pattern"
  static let masterHostname = "goosefs.master.hostname"
  static let journalFolder = "goosefs.master.journal.folder"
}
