import GooseFSCore
import NIOConcurrencyHelpers
import NIOCore

/// Idle block protocol connections per worker, so that reads and writes skip the TCP handshake.
///
/// At most `maxIdlePerWorker` idle connections are kept per worker (most recently used first);
/// connections in use are not counted or limited here. A connection is kept at check-in only if
/// it is reusable (`BlockDataConnection.isReusable`: open, no exchange in progress, nothing
/// unexpected received); anything else, such as a connection that saw a protocol error or a
/// timeout, or a read abandoned without `cancel()`, is closed instead.
public final class BlockConnectionPool: Sendable {
  public let maxIdlePerWorker: Int
  public let connectTimeout: TimeAmount
  public let idleTimeout: TimeAmount
  public let configuration: BlockProtocolConfiguration
  private let group: any EventLoopGroup

  private struct Worker: Hashable {
    var host: String
    var port: Int
  }

  private struct State {
    var idle: [Worker: [BlockDataConnection]] = [:]
    var closed = false
  }

  private let state = NIOLockedValueBox(State())

  public init(
    group: any EventLoopGroup, maxIdlePerWorker: Int = 4, connectTimeout: TimeAmount = .seconds(10),
    idleTimeout: TimeAmount = .seconds(60), configuration: BlockProtocolConfiguration = BlockProtocolConfiguration()
  ) {
    precondition(maxIdlePerWorker >= 0, "maxIdlePerWorker must not be negative")
    self.group = group
    self.maxIdlePerWorker = maxIdlePerWorker
    self.connectTimeout = connectTimeout
    self.idleTimeout = idleTimeout
    self.configuration = configuration
  }

  /// An idle connection to the worker if one is still usable, else a new one.
  public func checkout(host: String, port: Int) async throws -> BlockDataConnection {
    let worker = Worker(host: host, port: port)
    while let connection = try popIdle(worker) {
      // The worker may have closed it while it sat here.
      if connection.isReusable { return connection }
      connection.markBroken()
    }
    return try await BlockDataConnection.connect(
      host: host, port: port, group: group, timeout: connectTimeout, idleTimeout: idleTimeout,
      configuration: configuration)
  }

  /// Returns a connection: kept if reusable and there is room, closed otherwise.
  public func checkin(_ connection: BlockDataConnection) {
    let worker = Worker(host: connection.host, port: connection.port)
    let kept = connection.isReusable && state.withLockedValue { state in
      guard !state.closed, state.idle[worker, default: []].count < maxIdlePerWorker else { return false }
      state.idle[worker, default: []].append(connection)
      return true
    }
    if !kept { connection.markBroken() }
  }

  /// Runs `body` with a checked-out connection and checks it in afterwards, whether `body`
  /// returned or threw (check-in decides whether it is still reusable).
  public func withConnection<Result>(
    host: String, port: Int, isolation: isolated (any Actor)? = #isolation,
    _ body: (BlockDataConnection) async throws -> sending Result
  ) async throws -> sending Result {
    let connection = try await checkout(host: host, port: port)
    do {
      let result = try await body(connection)
      checkin(connection)
      return result
    } catch {
      checkin(connection)
      throw error
    }
  }

  /// Idle connections kept for a worker (for tests and metrics).
  public func idleCount(host: String, port: Int) -> Int {
    state.withLockedValue { $0.idle[Worker(host: host, port: port)]?.count ?? 0 }
  }

  /// Closes the idle connections; connections checked in later are closed too.
  public func close() async {
    let idle = state.withLockedValue { state in
      state.closed = true
      defer { state.idle = [:] }
      return state.idle.values.flatMap { $0 }
    }
    for connection in idle { await connection.close() }
  }

  private func popIdle(_ worker: Worker) throws -> BlockDataConnection? {
    try state.withLockedValue { state in
      guard !state.closed else { throw GooseFSError(.unavailable, "The block connection pool is closed") }
      return state.idle[worker]?.popLast()
    }
  }
}
