import Foundation
import GooseFSClient
import GooseFSCore
import GooseFSJournal
import GooseFSShell
import Logging

// goosefs: the command line. `-Dk=v` may appear anywhere; logs go to a file, never the terminal,
// so that parsers (Fluid's controller) see only the command's output.
let (properties, arguments) = GooseFSShell.splitSystemProperties(Array(CommandLine.arguments.dropFirst()))
let configuration: Configuration
do {
  configuration = try Configuration.load(component: .client, commandLineProperties: properties)
} catch {
  print("\(error)")
  exit(255)
}
let logsDir = configuration.string(PropertyKeys.logsDir)
let logFactory = FileLogHandler.factory(path: (logsDir.isEmpty ? "." : logsDir) + "/user_\(ProcessIdentity.current().user).log", level: .info)
LoggingSystem.bootstrap { logFactory($0) }

let identity = ProcessIdentity.current(loginName: configuration.value(PropertyKeys.securityLoginUsername))
let status: Int32
do {
  status = try await MasterConnection.with(configuration, identity: identity) { connection in
    await GooseFSShell.run(
      arguments: arguments,
      environment: ShellEnvironment(
        configuration: configuration,
        makeFileSystem: { _ in GRPCFileSystem(connection: connection) },
        formatJournal: { configuration in
          try UFSJournal.format(folder: configuration.string(PropertyKeys.masterJournalFolder))
        }))
  }
} catch {
  print("\(error)")
  status = 255
}
exit(status)
