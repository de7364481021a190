import GRPCCore

extension GRPCServer {
  /// Serves until the calling task is cancelled (SIGTERM), then shuts down gracefully: the
  /// listener closes, calls in flight finish, and this returns normally. `serve()` itself runs
  /// in a task of its own because, cancelled directly, the transport drops the calls in flight
  /// and `serve()` throws `transportError "Server transport threw an error." (CancellationError())`,
  /// which is a clean stop that would read as a crash.
  public func serveUntilCancelled() async throws {
    let serving = Task { try await self.serve() }
    do {
      try await withTaskCancellationHandler {
        try await serving.value
      } onCancel: {
        self.beginGracefulShutdown()
      }
    } catch let error as RuntimeError where error.code == .serverIsStopped && Task.isCancelled {
      // Cancelled before `serve()` started: the shutdown came first, nothing was served.
      return
    }
  }
}
