import GooseFSCore

/// Which failures of a block exchange another worker may not have: the rule every reader that
/// can fail over (the client's file streams, a worker persisting a file) applies.
public enum BlockFailover {
  /// A dead, stalled or broken worker (connection closed or reset, a frame cut short, no frame
  /// within the data timeout, an I/O error or missing block on its side, a full worker) is worth
  /// asking another copy for. Everything else (the file changed in the under store, permission
  /// denied, bad arguments, a live peer breaking the protocol) is the caller's answer.
  public static func isWorkerFailure(_ error: GooseFSError) -> Bool {
    switch error.code {
    case .unavailable, .deadlineExceeded, .ioError, .corrupted, .internalError, .notFound, .resourceExhausted, .cancelled:
      true
    default:
      false
    }
  }
}
