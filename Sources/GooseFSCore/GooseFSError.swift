/// The one error type of the project. Codes are things a caller can act on; the message is for
/// people. It is mapped once to gRPC status (GooseFSRPC), once to errno (FUSE) and once to CLI text.
public struct GooseFSError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Code: String, Sendable, CaseIterable {
    case notFound
    case alreadyExists
    case permissionDenied
    case invalidArgument
    case failedPrecondition
    case directoryNotEmpty
    case unavailable
    case deadlineExceeded
    case resourceExhausted
    case corrupted
    case ioError
    case notLeader
    case unimplemented
    case cancelled
    case internalError
  }

  public var code: Code
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }

  // Alluxio's exact wording for a missing path; Fluid greps for "does not exist".
  public static func pathDoesNotExist(_ path: String) -> GooseFSError {
    GooseFSError(.notFound, "Path \"\(path)\" does not exist.")
  }

  public static func pathAlreadyExists(_ path: String) -> GooseFSError {
    GooseFSError(.alreadyExists, "Path \"\(path)\" already exists.")
  }
}
