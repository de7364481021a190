import GooseFSCore

/// Everything the master process reads from configuration, parsed and checked once at start-up
/// so that a bad value stops the master with a message naming the key.
struct MasterSettings: Sendable {
  var hostname: String
  var bindHost: String
  var webBindHost: String
  var rpcPort: Int
  /// goosefs.master.rpc.framed.requests.max: calls one framed connection runs at once.
  var framedRequestsMax: Int
  var webPort: Int
  var journalType: String
  var journalFolder: String
  var checkpointPeriodEntries: Int
  var journalSegmentBytes: Int
  var rootUFS: String
  var rootOptions: [String: String]
  var rootReadOnly: Bool
  var rootShared: Bool
  var permissionsEnabled: Bool
  var supergroup: String
  var loginUser: String?
  var ttlCheckIntervalMs: Int64
  /// goosefs.master.worker.timeout: a worker silent this long is lost.
  var workerTimeoutMs: Int64
  var lostWorkerDetectionIntervalMs: Int64
  var namespace: NamespaceSettings

  init(_ configuration: Configuration) throws {
    try configuration.validate()
    hostname = configuration.value(PropertyKeys.masterHostname) ?? "localhost"
    bindHost = configuration.value(PropertyKeys.masterBindHost) ?? "0.0.0.0"
    webBindHost = configuration.value(PropertyKeys.masterWebBindHost) ?? "0.0.0.0"
    rpcPort = try configuration.int(PropertyKeys.masterRpcPort)
    framedRequestsMax = try configuration.int(PropertyKeys.masterRpcFramedRequestsMax)
    guard framedRequestsMax > 0 else {
      throw GooseFSError(.invalidArgument, "goosefs.master.rpc.framed.requests.max must be at least 1, not \(framedRequestsMax).")
    }
    webPort = try configuration.int(PropertyKeys.masterWebPort)
    journalType = configuration.string(PropertyKeys.masterJournalType).uppercased()
    journalFolder = try Self.localJournalFolder(configuration.string(PropertyKeys.masterJournalFolder))
    checkpointPeriodEntries = try configuration.int(PropertyKeys.masterJournalCheckpointPeriodEntries)
    journalSegmentBytes = Int(try configuration.bytes(PropertyKeys.masterJournalLogSizeBytesMax))
    rootUFS = configuration.string(PropertyKeys.masterMountTableRootUfs)
    rootOptions = configuration.rootMountOptions
    rootReadOnly = try configuration.bool(PropertyKeys.masterMountTableRootReadonly)
    rootShared = try configuration.bool(PropertyKeys.masterMountTableRootShared)
    permissionsEnabled = try configuration.bool(PropertyKeys.securityAuthorizationPermissionEnabled)
    supergroup = configuration.string(PropertyKeys.securityAuthorizationPermissionSupergroup)
    loginUser = configuration.value(PropertyKeys.securityLoginUsername)
    ttlCheckIntervalMs = try configuration.milliseconds(PropertyKeys.masterTtlCheckerInterval)
    workerTimeoutMs = max(1, try configuration.milliseconds(PropertyKeys.masterWorkerTimeout))
    lostWorkerDetectionIntervalMs = max(10, try configuration.milliseconds(PropertyKeys.masterLostWorkerDetectionInterval))
    let umaskText = configuration.string(PropertyKeys.securityAuthorizationPermissionUmask)
    guard let umask = UInt32(umaskText, radix: 8), umask <= 0o777 else {
      throw GooseFSError(
        .invalidArgument,
        "Invalid value \"\(umaskText)\" for \(PropertyKeys.securityAuthorizationPermissionUmask.name): expected an octal umask such as 022")
    }
    namespace = NamespaceSettings(
      defaultBlockSizeBytes: try configuration.bytes(PropertyKeys.userBlockSizeBytesDefault),
      defaultSyncIntervalMs: try configuration.milliseconds(PropertyKeys.userFileMetadataSyncInterval),
      umask: umask, listPageSize: 1000,
      syncConcurrency: max(1, try configuration.int(PropertyKeys.masterMetadataSyncConcurrencyLevel)))

    guard ["UFS", "EMBEDDED"].contains(journalType) else {
      throw GooseFSError(
        .invalidArgument,
        "Invalid value \"\(journalType)\" for goosefs.master.journal.type: expected UFS or EMBEDDED "
          + "(a master without a journal would lose the namespace on restart)")
    }
    let peers = configuration.list(PropertyKeys.masterEmbeddedJournalAddresses)
    if journalType == "EMBEDDED", peers.count > 1 {
      throw GooseFSError(
        .unimplemented,
        "goosefs.master.embedded.journal.addresses lists \(peers.count) masters, but this version has no replicated "
          + "(Raft) journal yet. Run a single master (journal type UFS, or EMBEDDED with one address).")
    }
    guard !rootUFS.isEmpty else {
      throw GooseFSError(.invalidArgument, "goosefs.master.mount.table.root.ufs is not set: the master needs a root under store.")
    }
  }

  /// The journal lives in a local (or locally mounted) folder: a plain path or a file:// URI.
  static func localJournalFolder(_ text: String) throws -> String {
    if text.hasPrefix("file://") { return String(text.dropFirst("file://".count)) }
    if text.hasPrefix("/") { return text }
    throw GooseFSError(
      .invalidArgument,
      "Invalid value \"\(text)\" for goosefs.master.journal.folder: expected a local folder (/path or file:///path)")
  }
}
