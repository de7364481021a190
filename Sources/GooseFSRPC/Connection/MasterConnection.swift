import GRPCCore
import GRPCNIOTransportHTTP2
import GooseFSCore
import NIOCore
import SwiftProtobuf

import Synchronization

/// gRPC channels to every configured master, with the retry and leader-following logic all calls
/// share. Channels connect lazily, so commands that never call the master cost nothing.
public final class MasterConnection: Sendable {
  public typealias Transport = HTTP2ClientTransport.Posix

  let addresses: [MasterAddress]
  let clients: [GRPCClient<Transport>]
  /// Framed-protocol connections, one per master (same order as `clients`); nil when
  /// goosefs.user.master.rpc.framed.enabled is false.
  let framedClients: [FramedRPCClient]?
  let identity: CallerIdentity
  let retry: RetryPolicy
  /// Whether new directories and files are created in the under store: every write type but
  /// MUST_CACHE and TRY_CACHE persists (goosefs.user.file.writetype.default).
  public let persistByDefault: Bool
  /// goosefs.user.file.metadata.sync.interval of this client, sent with every metadata call as
  /// Alluxio clients do (so `fs -D…sync.interval=0 ls` re-syncs).
  public let syncIntervalMs: Int64
  /// The configuration the connection was opened with (clients derive their data settings from it).
  public let configuration: Configuration
  /// Index of the master that answered last: the leader, as far as we know.
  private let preferred = Mutex(0)

  /// The identity calls made in this task carry instead of the connection's own: the FUSE daemon
  /// runs as root and acts for whichever local user made each file-system request.
  @TaskLocal public static var actingCaller: CallerIdentity?

  /// Deadlines: most calls are quick; listings and metadata loads of big trees may take long.
  public static let shortCallTimeout: Duration = .seconds(60)
  public static let longCallTimeout: Duration = .seconds(3600)

  private init(
    addresses: [MasterAddress], clients: [GRPCClient<Transport>], framedClients: [FramedRPCClient]?,
    identity: CallerIdentity, retry: RetryPolicy, persistByDefault: Bool, syncIntervalMs: Int64,
    configuration: Configuration
  ) {
    self.framedClients = framedClients
    self.configuration = configuration
    self.persistByDefault = persistByDefault
    self.syncIntervalMs = syncIntervalMs
    self.addresses = addresses
    self.clients = clients
    self.identity = identity
    self.retry = retry
  }

  /// Opens channels to the masters of `configuration`, runs `body`, then closes them.
  public static func with<T: Sendable>(
    _ configuration: Configuration, identity: CallerIdentity,
    _ body: (MasterConnection) async throws -> T
  ) async throws -> T {
    let addresses = try MasterAddress.resolve(configuration)
    let retry = try RetryPolicy(configuration)
    // Flush coalescing (on by default since grpc-swift-nio-transport 2.8) holds each request up
    // to 100 µs to batch writes: a metadata call pays it in full for nothing.
    var transportConfig = HTTP2ClientTransport.Posix.Config.defaults
    transportConfig.connection.flushCoalescing = nil
    // A channel that lost its master waits its reconnect backoff before trying again, failing
    // calls fast meanwhile; grpc-swift's default grows to 2 minutes, so a client that saw a
    // master restart could not reach it for tens of seconds after it was back. Reconnect on the
    // same schedule as our own retries (goosefs.user.rpc.retry.base.sleep / .max.sleep).
    transportConfig.backoff = .init(initial: retry.baseSleep, max: retry.maxSleep, multiplier: 1.6, jitter: 0.2)
    let clients = try addresses.map { address in
      GRPCClient(
        transport: try HTTP2ClientTransport.Posix(
          target: .dns(host: address.host, port: address.port), transportSecurity: .plaintext,
          config: transportConfig))
    }
    let framedClients =
      try configuration.bool(PropertyKeys.userMasterRpcFramedEnabled)
      ? addresses.map { FramedRPCClient(host: $0.host, port: $0.port) } : nil
    let writeType = configuration.string(PropertyKeys.userFileWritetypeDefault).uppercased()
    let connection = MasterConnection(
      addresses: addresses, clients: clients, framedClients: framedClients, identity: identity, retry: retry,
      persistByDefault: !["MUST_CACHE", "TRY_CACHE"].contains(writeType),
      syncIntervalMs: try configuration.milliseconds(PropertyKeys.userFileMetadataSyncInterval),
      configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      for client in clients {
        group.addTask { try await client.runConnections() }
      }
      defer {
        for client in clients { client.beginGracefulShutdown() }
        for client in framedClients ?? [] { client.close() }
      }
      return try await body(connection)
    }
  }

  /// Runs `call` against the masters, moving on to the next one when a master is unreachable or
  /// not the leader, with backoff, until the retry budget is spent.
  public func call<T: Sendable>(
    _ operation: String, timeout: Duration = MasterConnection.shortCallTimeout,
    _ call: (GRPCClient<Transport>, Metadata, CallOptions) async throws -> T
  ) async throws -> T {
    var options = CallOptions.defaults
    options.timeout = timeout
    // Fail fast when a master is down; the retry loop decides when to give up.
    options.waitForReady = false
    let metadata = (Self.actingCaller ?? identity).metadata
    return try await withRetries(operation) { index in try await call(clients[index], metadata, options) }
  }

  /// A unary call over the framed master protocol when it is enabled (the hot metadata calls:
  /// one hop and one continuation per call instead of an HTTP/2 stream and its tasks), else
  /// over gRPC with `grpc`. Same messages, errors and retries either way.
  public func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
    _ operation: String, framed method: FramedMethod, _ request: Request, as response: Response.Type,
    timeout: Duration = MasterConnection.shortCallTimeout,
    grpc: (GRPCClient<Transport>, Metadata, CallOptions) async throws -> Response
  ) async throws -> Response {
    guard let framedClients else { return try await call(operation, timeout: timeout, grpc) }
    let bytes: [UInt8] = try request.serializedBytes()
    let payload = ByteBuffer(bytes: bytes)
    let caller = Self.actingCaller ?? identity
    return try await withRetries(operation) { index in
      let answer = try await framedClients[index].call(method: method, payload: payload, caller: caller, timeout: timeout)
      do {
        return try Response(serializedBytes: Array(answer.readableBytesView))
      } catch {
        throw GooseFSError(.internalError, "The master's answer to \(method) is not a valid \(Response.protoMessageName): \(error)")
      }
    }
  }

  /// The retry and leader-following loop every call shares.
  private func withRetries<T: Sendable>(_ operation: String, _ attempt: (Int) async throws -> T) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now + retry.maxDuration
    var attempts = 0
    var index = preferred.withLock { $0 }
    var lastError = GooseFSError(.unavailable, "no attempt made")
    while true {
      do {
        let result = try await attempt(index)
        let answered = index
        preferred.withLock { $0 = answered }
        return result
      } catch {
        let mapped = RPCErrorMapping.goosefsError(from: error)
        guard RetryPolicy.isRetryable(mapped) else { throw mapped }
        lastError = mapped
      }
      attempts += 1
      index = (index + 1) % clients.count
      let pause = retry.sleep(afterAttempt: attempts / max(clients.count, 1))
      if clock.now + pause >= deadline { break }
      try await Task.sleep(for: pause)
    }
    let targets = addresses.map(\.description).joined(separator: ", ")
    throw GooseFSError(
      .unavailable,
      "Failed to \(operation): no GooseFS master answered at \(targets) within \(retry.maxDuration) "
        + "(goosefs.user.rpc.retry.max.duration). Last error: \(lastError.message)")
  }
}
