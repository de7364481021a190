import GooseFSCore

// Hooks for this module's tests (reachable through `@testable import` only). They exist because
// group commit and the failed state cannot be triggered deterministically from outside: a fast
// disk may commit every entry alone, and a healthy disk never fails.
extension UFSJournal {
  /// Holds the writer before its next batch, so appends accumulate into one group commit.
  func pauseWriterForTesting() {
    queueForTesting.state.withLock { $0.writerPausedForTesting = true }
  }

  func resumeWriterForTesting() {
    queueForTesting.state.withLock { $0.writerPausedForTesting = false }
  }

  /// Makes the writer's next batch fail with `error`, as a failing disk would.
  func failNextWriteForTesting(_ error: GooseFSError) {
    queueForTesting.state.withLock { $0.injectedFailureForTesting = error }
  }
}
