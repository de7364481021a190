import GRPCCore
import GRPCNIOTransportHTTP2
import GooseFSCore

import Synchronization

/// gRPC channels to every configured master, with the retry and leader-following logic all calls
/// share. Channels connect lazily, so commands that never call the master cost nothing.
public final class MasterConnection: Sendable {
  public typealias Transport = HTTP2ClientTransport.Posix

  let addresses: [MasterAddress]
  let clients: [GRPCClient<Transport>]
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
    addresses: [MasterAddress], clients: [GRPCClient<Transport>], identity: CallerIdentity, retry: RetryPolicy,
    persistByDefault: Bool, syncIntervalMs: Int64, configuration: Configuration
  ) {
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
    let clients = try addresses.map { address in
      GRPCClient(
        transport: try HTTP2ClientTransport.Posix(
          target: .dns(host: address.host, port: address.port), transportSecurity: .plaintext))
    }
    let writeType = configuration.string(PropertyKeys.userFileWritetypeDefault).uppercased()
    let connection = MasterConnection(
      addresses: addresses, clients: clients, identity: identity, retry: retry,
      persistByDefault: !["MUST_CACHE", "TRY_CACHE"].contains(writeType),
      syncIntervalMs: try configuration.milliseconds(PropertyKeys.userFileMetadataSyncInterval),
      configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      for client in clients {
        group.addTask { try await client.runConnections() }
      }
      defer {
        for client in clients { client.beginGracefulShutdown() }
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
    // Fail fast when a master is down; this loop decides when to give up.
    options.waitForReady = false
    let metadata = (Self.actingCaller ?? identity).metadata
    let clock = ContinuousClock()
    let deadline = clock.now + retry.maxDuration
    var attempt = 0
    var index = preferred.withLock { $0 }
    var lastError = GooseFSError(.unavailable, "no attempt made")
    while true {
      do {
        let result = try await call(clients[index], metadata, options)
        let answered = index
        preferred.withLock { $0 = answered }
        return result
      } catch {
        let mapped = RPCErrorMapping.goosefsError(from: error)
        guard RetryPolicy.isRetryable(mapped) else { throw mapped }
        lastError = mapped
      }
      attempt += 1
      index = (index + 1) % clients.count
      let pause = retry.sleep(afterAttempt: attempt / max(clients.count, 1))
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
