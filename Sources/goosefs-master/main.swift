import Foundation
import GooseFSCore
import GooseFSMaster
import GooseFSRPC
import Logging

// goosefs-master: reads configuration, logs to a file (and stderr), serves until SIGTERM/SIGINT.
let (commandLineProperties, arguments) = JavaOptions.extractSystemProperties(from: Array(CommandLine.arguments.dropFirst()))
let exitCode = await ServerMain.run(
  component: .master, name: "master", commandLineProperties: commandLineProperties, arguments: arguments
) { configuration, logger in
  try await MasterProcess(configuration: configuration, logger: logger).run()
}
exit(exitCode)
