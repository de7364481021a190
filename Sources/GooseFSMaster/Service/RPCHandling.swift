import GRPCCore
import GooseFSCore
import GooseFSRPC

/// Shared shape of every unary handler: read the caller, run, map errors once.
enum RPCHandling {
  static func unary<Request: Sendable, Response: Sendable>(
    _ request: ServerRequest<Request>,
    _ body: (Request, CallerIdentity) async throws -> Response
  ) async throws -> ServerResponse<Response> {
    do {
      let caller = try CallerIdentity(metadata: request.metadata)
      return ServerResponse(message: try await body(request.message, caller))
    } catch {
      throw RPCErrorMapping.rpcError(from: error)
    }
  }
}
