import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GooseFSCore
import GooseFSJournal
import GooseFSRPC
import GooseFSUFS
import Logging
import NIOHTTP1

/// The master process: recovers the namespace from its journal, then serves gRPC on the rpc port
/// and status on the web port, and runs the TTL checker and the checkpointer, until cancelled.
public struct MasterProcess: Sendable {
  private let configuration: Configuration
  private let logger: Logger

  public init(configuration: Configuration, logger: Logger) {
    self.configuration = configuration
    self.logger = logger
  }

  /// Runs until the surrounding task is cancelled (the executable cancels it on SIGTERM/SIGINT).
  public func run() async throws {
    let settings = try MasterSettings(configuration)
    for key in configuration.ignoredKeys {
      logger.info("Ignoring property \(key): not used by GooseFS-Swift.")
    }
    let superuser = ProcessIdentity.current(loginName: settings.loginUser)
    let start = ContinuousClock.now
    let (journal, recovery) = try UFSJournal.open(
      folder: settings.journalFolder, options: JournalOptions(segmentSizeBytes: settings.journalSegmentBytes), logger: logger)
    if recovery.truncatedTailBytes > 0 {
      logger.warning("Journal had a torn tail: truncated \(recovery.truncatedTailBytes) bytes of an unfinished write.")
    }
    let state = try Self.replay(recovery)
    logger.info(
      "Recovered the namespace from \(settings.journalFolder): \(state.inodes.count) inodes, \(recovery.records.count) entries after the checkpoint, in \(ContinuousClock.now - start).")
    let namespace = JournaledNamespace(
      state: state, journal: journal, checkpointPeriodEntries: settings.checkpointPeriodEntries, logger: logger)
    defer { namespace.close() }
    let master = FileSystemMaster(
      namespace: namespace,
      ufsManager: UFSManager(registry: .standard, baseOptions: configuration.properties(withPrefix: "goosefs.underfs.")),
      permissions: PermissionChecker(
        enabled: settings.permissionsEnabled, superuser: superuser.user, supergroup: settings.supergroup),
      settings: settings.namespace, logger: logger,
      blockMaster: BlockMaster(workerTimeout: .milliseconds(settings.workerTimeoutMs), logger: logger))
    try await master.bootstrap(
      rootUFS: settings.rootUFS, rootOptions: settings.rootOptions, readOnly: settings.rootReadOnly,
      shared: settings.rootShared, superuser: superuser)

    let startTimeMs = Int64(Date().timeIntervalSince1970 * 1000)
    let clusterID = master.clusterID
    let info: @Sendable () -> MasterInfo = {
      let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
      let capacity = master.blockMaster.capacitySummary()
      return MasterInfo(
        leaderAddress: "\(settings.hostname):\(settings.rpcPort)", rpcPort: settings.rpcPort, webPort: settings.webPort,
        startTimeMs: startTimeMs, upTimeMs: nowMs - startTimeMs, version: GooseFSVersion.current,
        liveWorkers: capacity.live, lostWorkers: capacity.lost, tiers: capacity.tiers, clusterID: clusterID)
    }
    let fileSystemService = FileSystemMasterService(master: master)
    let blockService = BlockMasterService(master: master)
    let framed = FramedRPCServer(
      methods: fileSystemService.framedMethods.merging(blockService.framedMethods) { first, _ in first },
      inlineMethods: fileSystemService.framedInlineMethods.merging(blockService.framedInlineMethods) { first, _ in first },
      maxInFlightPerConnection: settings.framedRequestsMax, logger: logger)
    let server = GRPCServer(
      transport: SharedPortListener(host: settings.bindHost, port: settings.rpcPort, framed: framed).transport(),
      services: [fileSystemService, MetaMasterService(master: master, info: info), blockService])
    let web = try await StatusWebServer.start(host: settings.webBindHost, port: settings.webPort) { path in
      Self.webResponse(path: path, info: info(), metrics: master.namespaceMetrics())
    }
    logger.info(
      "GooseFS master \(GooseFSVersion.current) serving cluster \(clusterID): rpc \(settings.bindHost):\(settings.rpcPort), web \(settings.webBindHost):\(settings.webPort).")

    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await server.serveUntilCancelled() }
      group.addTask { await framed.run() }
      group.addTask { await namespace.runCheckpointer() }
      group.addTask { await master.blockMaster.runLostWorkerDetector(interval: .milliseconds(settings.lostWorkerDetectionIntervalMs)) }
      group.addTask { await master.runTTLChecker(intervalMs: settings.ttlCheckIntervalMs, superuser: superuser) }
      group.addTask {
        // An empty stream ends when the task is cancelled; then the web server stops so the
        // group can finish. (The gRPC server stops itself gracefully: in-flight calls finish
        // and are journaled, and the journal closes after the group ends.)
        await AsyncStream<Void> { _ in }.first { _ in true }
        await web.close()
      }
    }
    logger.info("GooseFS master stopped.")
  }

  /// Rebuilds the namespace from a checkpoint and the entries after it.
  static func replay(_ recovery: JournalRecovery) throws -> NamespaceState {
    var state = NamespaceState()
    if let checkpoint = recovery.checkpoint {
      state = try NamespaceState(checkpoint: try NamespaceCheckpoint(serializedBytes: checkpoint.payload))
    }
    for record in recovery.records {
      let entry: JournalEntry
      do {
        entry = try JournalEntry(serializedBytes: record.payload)
      } catch {
        throw GooseFSError(.corrupted, "Journal entry \(record.sequence) cannot be decoded: \(error).")
      }
      do {
        try state.apply(entry)
      } catch let error as GooseFSError {
        throw GooseFSError(.corrupted, "Journal entry \(record.sequence) cannot be applied: \(error.message)")
      }
    }
    return state
  }

  private static func webResponse(path: String, info: MasterInfo, metrics: [MetricValue]) -> (HTTPResponseStatus, String, String) {
    switch path {
    case "/api/v1/master/info":
      let body = """
        {"clusterId":"\(info.clusterID)","version":"\(info.version)","masterAddress":"\(info.leaderAddress)",\
        "rpcPort":\(info.rpcPort),"webPort":\(info.webPort),"startTimeMs":\(info.startTimeMs),"upTimeMs":\(info.upTimeMs)}
        """
      return (.ok, "application/json", body)
    case "/metrics":
      let body = metrics.map { "\($0.name.replacingOccurrences(of: ".", with: "_")) \(Int64($0.value))" }.joined(separator: "\n")
      return (.ok, "text/plain; version=0.0.4", body + "\n")
    case "/", "/health":
      return (.ok, "text/plain", "GooseFS master \(info.version) is serving.\n")
    default:
      return (.notFound, "text/plain", "Not found\n")
    }
  }
}
