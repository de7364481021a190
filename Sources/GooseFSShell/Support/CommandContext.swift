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
  func fileSystem() async throws -> any DataFileSystem {
    try await environment.makeFileSystem(environment.configuration)
  }

  /// `goosefs.user.file.writetype.default` (a `-D` on the command line wins), passed explicitly
  /// to every file the shell writes so that `copyFromLocal -Dgoosefs.user.file.writetype.default=…`
  /// does what it says.
  func writeType() throws -> WriteType {
    let name = try environment.configuration.enumeration(PropertyKeys.userFileWritetypeDefault)
    guard let writeType = WriteType(userText: name) else {
      throw ShellFailure.message("Invalid write type \(name)")
    }
    return writeType
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
