import Foundation
import GooseFSCore
import GooseFSRPC
import GooseFSWorker

// goosefs-worker: reads configuration, logs to a file (and stderr), serves until SIGTERM/SIGINT.
let (commandLineProperties, arguments) = JavaOptions.extractSystemProperties(from: Array(CommandLine.arguments.dropFirst()))
let exitCode = await ServerMain.run(
  component: .worker, name: "worker", commandLineProperties: commandLineProperties, arguments: arguments
) { configuration, logger in
  try await WorkerProcess(configuration: configuration, logger: logger).run()
}
exit(exitCode)
