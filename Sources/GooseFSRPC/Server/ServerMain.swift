import Foundation
import GooseFSCore
import Logging

/// What every server executable does around its service: load and check configuration, set up
/// logging, turn SIGTERM/SIGINT into cancellation, and print a fatal start-up error clearly.
public enum ServerMain {
  public static func run(
    component: GooseFSComponent, name: String, commandLineProperties: [(String, String)], arguments: [String],
    _ body: @escaping @Sendable (Configuration, Logger) async throws -> Void
  ) async -> Int32 {
    let configuration: Configuration
    do {
      configuration = try Configuration.load(component: component, commandLineProperties: commandLineProperties)
      try configuration.validate()
    } catch {
      FileHandle.standardError.write(Data("goosefs-\(name): invalid configuration: \(error)\n".utf8))
      return 2
    }
    let logsDir = configuration.string(PropertyKeys.logsDir)
    let logFile = (logsDir.isEmpty ? "." : logsDir) + "/\(name).log"
    let fileFactory = FileLogHandler.factory(path: logFile, level: .info)
    LoggingSystem.bootstrap { label in
      MultiplexLogHandler([fileFactory(label), StreamLogHandler.standardError(label: label)])
    }
    let logger = Logger(label: "goosefs.\(name)")

    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    let task = Task { try await body(configuration, logger) }
    let sources = [SIGTERM, SIGINT].map { number in
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        logger.info("Received signal \(number): shutting down.")
        task.cancel()
      }
      source.resume()
      return source
    }
    defer { sources.forEach { $0.cancel() } }
    do {
      try await task.value
      return 0
    } catch is CancellationError {
      // Stopped by a signal before the service was up (e.g. a worker still waiting for its
      // master): a clean stop too.
      logger.info("goosefs-\(name) stopped.")
      return 0
    } catch {
      logger.critical("goosefs-\(name) stopped: \(error)")
      return 1
    }
  }
}
