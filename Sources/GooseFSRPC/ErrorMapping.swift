import GRPCCore
import GooseFSCore

/// The one mapping between `GooseFSError` and gRPC status. The exact project code travels in
/// metadata so that a Swift client gets back precisely what the master threw; other clients still
/// get a meaningful standard status code.
public enum RPCErrorMapping {
  public static let errorCodeKey = "goosefs-error-code"
  public static let leaderKey = "goosefs-leader"

  public static func statusCode(for code: GooseFSError.Code) -> RPCError.Code {
    switch code {
    case .notFound: .notFound
    case .alreadyExists: .alreadyExists
    case .permissionDenied: .permissionDenied
    case .invalidArgument: .invalidArgument
    case .failedPrecondition, .directoryNotEmpty: .failedPrecondition
    case .unavailable, .notLeader: .unavailable
    case .deadlineExceeded: .deadlineExceeded
    case .resourceExhausted: .resourceExhausted
    case .corrupted: .dataLoss
    case .ioError, .internalError: .internalError
    case .unimplemented: .unimplemented
    case .cancelled: .cancelled
    }
  }

  /// Any error a handler throws, as the RPCError to send.
  public static func rpcError(from error: any Error) -> RPCError {
    if let rpcError = error as? RPCError { return rpcError }
    let goosefsError = (error as? GooseFSError) ?? GooseFSError(.internalError, "\(error)")
    var metadata: Metadata = [:]
    metadata.addString(goosefsError.code.rawValue, forKey: errorCodeKey)
    return RPCError(code: statusCode(for: goosefsError.code), message: goosefsError.message, metadata: metadata)
  }

  /// What a caller sees of an RPC failure.
  public static func goosefsError(from error: any Error) -> GooseFSError {
    if let goosefsError = error as? GooseFSError { return goosefsError }
    guard let rpcError = error as? RPCError else {
      return GooseFSError(.internalError, "\(error)")
    }
    if let raw = rpcError.metadata[stringValues: errorCodeKey].first(where: { _ in true }),
      let code = GooseFSError.Code(rawValue: raw)
    {
      return GooseFSError(code, rpcError.message)
    }
    switch rpcError.code {
    case .notFound: return GooseFSError(.notFound, rpcError.message)
    case .alreadyExists: return GooseFSError(.alreadyExists, rpcError.message)
    case .permissionDenied, .unauthenticated: return GooseFSError(.permissionDenied, rpcError.message)
    case .invalidArgument, .outOfRange: return GooseFSError(.invalidArgument, rpcError.message)
    case .failedPrecondition, .aborted: return GooseFSError(.failedPrecondition, rpcError.message)
    case .unavailable: return GooseFSError(.unavailable, rpcError.message)
    case .deadlineExceeded: return GooseFSError(.deadlineExceeded, rpcError.message)
    case .resourceExhausted: return GooseFSError(.resourceExhausted, rpcError.message)
    case .dataLoss: return GooseFSError(.corrupted, rpcError.message)
    case .unimplemented: return GooseFSError(.unimplemented, rpcError.message)
    case .cancelled: return GooseFSError(.cancelled, rpcError.message)
    default: return GooseFSError(.internalError, rpcError.message)
    }
  }
}
