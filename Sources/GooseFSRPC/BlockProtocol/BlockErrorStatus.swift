import GooseFSCore

/// The `status` field of an ERROR frame: a stable number for each `GooseFSError.Code`.
///
/// Codes that have an exact gRPC counterpart use the gRPC status number (so a Python or Go client
/// reading raw frames gets a familiar value, as it does from `RPCErrorMapping`); codes that exist
/// only in this project are numbered from 100. These are wire values: never renumber them.
public enum BlockErrorStatus {
  /// `status` of every frame that is not an ERROR.
  public static let ok: UInt32 = 0

  public static func status(for code: GooseFSError.Code) -> UInt32 {
    switch code {
    case .cancelled: 1
    case .invalidArgument: 3
    case .deadlineExceeded: 4
    case .notFound: 5
    case .alreadyExists: 6
    case .permissionDenied: 7
    case .resourceExhausted: 8
    case .failedPrecondition: 9
    case .unimplemented: 12
    case .internalError: 13
    case .unavailable: 14
    case .corrupted: 15
    case .directoryNotEmpty: 100
    case .ioError: 101
    case .notLeader: 102
    }
  }

  /// The code of a received status; nil for 0 and for numbers this build doesn't know (a newer
  /// worker's code), which callers report as an internal error carrying the number.
  public static func code(for status: UInt32) -> GooseFSError.Code? {
    switch status {
    case 1: .cancelled
    case 3: .invalidArgument
    case 4: .deadlineExceeded
    case 5: .notFound
    case 6: .alreadyExists
    case 7: .permissionDenied
    case 8: .resourceExhausted
    case 9: .failedPrecondition
    case 12: .unimplemented
    case 13: .internalError
    case 14: .unavailable
    case 15: .corrupted
    case 100: .directoryNotEmpty
    case 101: .ioError
    case 102: .notLeader
    default: nil
    }
  }
}
