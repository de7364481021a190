import GooseFSCore

extension GooseFSError {
  /// A peer broke docs/block-protocol.md. One code for every violation (malformed header, frame
  /// out of sequence, wrong offset) because the caller's only sensible reaction is the same: drop
  /// the connection. The message says what was wrong.
  public static func blockProtocol(_ detail: String) -> GooseFSError {
    GooseFSError(.invalidArgument, "Block protocol violation: \(detail)")
  }
}
