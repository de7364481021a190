import Foundation
import GooseFSCore
import GooseFSRPC
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The worker: a tiered block store served over the block protocol on the rpc port, kept in step
/// with the master by heartbeats. Opens exactly two ports: `goosefs.worker.rpc.port` and
/// `goosefs.worker.web.port`.
public final class WorkerProcess: Sendable {
  private let configuration: Configuration
  private let logger: Logger
  private let storeOptions: TieredBlockStore.Options

  /// `storeOptions` is for tests (an injected slow fsync); the executable uses the defaults.
  public init(configuration: Configuration, logger: Logger, storeOptions: TieredBlockStore.Options = .init()) {
    self.configuration = configuration
    self.logger = logger
    self.storeOptions = storeOptions
  }

  /// Runs until the surrounding task is cancelled (SIGTERM/SIGINT).
  public func run() async throws {
    let logger = self.logger
    let settings = try WorkerSettings(configuration)
    let layout = try BlockStoreLayout.from(configuration)
    for key in configuration.ignoredKeys {
      logger.info("Ignoring property \(key): not used by GooseFS-Swift.")
    }
    // Measured: from tmpfs, pread on a few threads is ~1.7x io_uring (which copies page-cache data
    // inside the submit call under its lock); from disks they are even. See docs/architecture.md.
    let onlyMemory = layout.tiers.allSatisfy { $0.alias == "MEM" }
    if onlyMemory { logger.info("All tiers are MEM: block files use pread/pwrite, which measures faster than io_uring on tmpfs.") }
    let io = BlockIOEngine.probe(
      preferIOURing: try configuration.bool(PropertyKeys.workerIoUringEnabled) && !onlyMemory,
      ioThreads: settings.blockIOThreads, logger: logger)
    defer { io.shutdown() }
    let executor = BlockIOExecutor(threads: settings.blockIOThreads)
    let startTimeMs = Int64(Date().timeIntervalSince1970 * 1000)
    let ready = ReadyContext()
    let server = try await BlockDataServer.bind(
      host: settings.bindHost, port: settings.rpcPort, group: MultiThreadedEventLoopGroup.singleton,
      configuration: BlockProtocolConfiguration(chunkSize: settings.chunkSize), maxConnections: settings.maxConnections,
      logger: logger
    ) { connection in
      guard let context = ready.context else {
        throw GooseFSError(.unavailable, "The worker is starting: its block store is not open yet.")
      }
      try await BlockRequestHandler(context: context).serve(connection)
    }
    let web = try await StatusWebServer.start(host: settings.webBindHost, port: settings.webPort) { path in
      Self.webResponse(path: path, context: ready.context)
    }
    let socketPath = Self.shortCircuitSocketPath(configuration, layout: layout)
    let address = WorkerNetAddress(
      host: settings.hostname, rpcPort: server.port, webPort: web.port ?? settings.webPort,
      domainSocketPath: socketPath ?? "", containerHost: settings.containerHostname)
    let metrics = WorkerMetrics()

    do {
      try await MasterConnection.with(configuration, identity: ProcessIdentity.current()) { connection in
        let sync = MasterSync(connection: connection, address: address, metrics: metrics, startTimeMs: startTimeMs, logger: logger)
        let clusterID = try await Self.waitForMaster(sync, logger: logger)
        let store = try await TieredBlockStore.open(
          layout: layout, clusterID: clusterID, io: io, executor: executor, logger: logger, options: storeOptions)
        let caching = CachingBlocks()
        let context = WorkerContext(
          store: store, io: io, master: sync,
          mounts: MountedStores { mountID in
            let info = try await sync.ufsInfo(mountID: mountID)
            return (info.ufsUri, info.properties)
          },
          ufsStreams: UFSInputStreams(limit: settings.ufsInputStreams), caching: caching,
          asyncCache: AsyncCacheQueue(caching: caching, capacity: settings.asyncCacheQueue, concurrency: settings.asyncCacheThreads),
          persists: PersistQueue(capacity: settings.persistQueue),
          pool: BlockConnectionPool(group: MultiThreadedEventLoopGroup.singleton),
          metrics: metrics, settings: settings, logger: logger)
        try await sync.register(store: store)
        ready.set(context)
        let descriptors = try socketPath.map { path in
          try DescriptorPassingServer(path: path) { blockID in
            let lease = try store.openForRead(blockID)
            defer { lease.release() }
            let fd = dup(lease.fd)
            guard fd >= 0 else { throw GooseFSError(.ioError, "Cannot duplicate the descriptor of block \(blockID).") }
            return (fd, lease.length)
          }
        }
        defer { descriptors?.close() }
        logger.info(
          "GooseFS worker \(GooseFSVersion.current) \(address.host): blocks on \(settings.bindHost):\(server.port), web \(settings.webBindHost):\(address.webPort), tiers \(store.usage().map { "\($0.alias) \($0.capacityBytes)B" }.joined(separator: ", ")).")

        try await withThrowingDiscardingTaskGroup { group in
          group.addTask { try await server.run() }
          group.addTask { await Heartbeater(context: context).run() }
          group.addTask {
            await context.asyncCache.run(fetcher: UFSBlockFetcher(context: context), caching: caching, logger: logger)
          }
          group.addTask { await context.persists.run(executor: PersistExecutor(context: context)) }
          group.addTask {
            await withTaskCancellationHandler {
              await AsyncStream<Void> { _ in }.first { _ in true }
            } onCancel: {
              context.asyncCache.finishInput()
              context.persists.finishInput()
            }
            await server.close()
            await web.close()
            await context.ufsStreams.closeAll()
          }
        }
      }
    } catch is CancellationError {
      // SIGTERM cancels the run: the normal way for a worker to stop, not a failure.
    }
    await executor.shutdown()
    logger.info("GooseFS worker stopped.")
  }

  /// The Unix socket short-circuit clients get block descriptors from: the configured address, or
  /// a file in the first tier folder (Fluid mounts tier folders into FUSE pods at the same path).
  /// nil when the path would be too long for a Unix socket.
  static func shortCircuitSocketPath(_ configuration: Configuration, layout: BlockStoreLayout) -> String? {
    let configured = configuration.string(PropertyKeys.workerDataServerDomainSocketAddress)
    if !configured.isEmpty { return configured }
    guard let first = layout.tiers.first?.directories.first?.path else { return nil }
    let folder = (first as NSString).appendingPathComponent(layout.dataFolder)
    let path = (folder as NSString).appendingPathComponent("shortcircuit.sock")
    return path.utf8.count < 108 ? path : nil
  }

  /// The worker cannot open its store before it knows the cluster id; it waits for the master as
  /// long as it takes (under Kubernetes the master may start later).
  static func waitForMaster(_ sync: MasterSync, logger: Logger) async throws -> String {
    while true {
      do {
        return try await sync.obtainWorkerID().clusterID
      } catch {
        try Task.checkCancellation()
        logger.warning("Waiting for the master: \(error)")
      }
    }
  }

  static func webResponse(path: String, context: WorkerContext?) -> (HTTPResponseStatus, String, String) {
    guard let context else { return (.serviceUnavailable, "text/plain", "starting\n") }
    switch path {
    case "/api/v1/worker/info":
      let tiers = context.store.usage().map {
        "{\"alias\":\"\($0.alias)\",\"capacityBytes\":\($0.capacityBytes),\"usedBytes\":\($0.usedBytes)}"
      }
      let body = """
        {"workerId":\(context.master.workerID),"host":"\(context.settings.hostname)","blocks":\(context.store.blocks().count),"tiers":[\(tiers.joined(separator: ","))]}

        """
      return (.ok, "application/json", body)
    case "/metrics":
      let lines = context.metrics.snapshot().sorted { $0.key < $1.key }.map {
        "\($0.key.replacingOccurrences(of: ".", with: "_")) \(Int64($0.value))"
      }
      return (.ok, "text/plain", lines.joined(separator: "\n") + "\n")
    default:
      return (.notFound, "text/plain", "not found\n")
    }
  }
}

/// The context once the store is open; connections that arrive earlier are told to retry.
final class ReadyContext: Sendable {
  private let value = Mutex<WorkerContext?>(nil)
  var context: WorkerContext? { value.withLock { $0 } }
  func set(_ context: WorkerContext) { value.withLock { $0 = context } }
}
