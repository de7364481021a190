/// The master process: addresses, journal, root mount, metastore and background checkers.
extension PropertyKeys {
  public static let masterHostname = PropertyKey(
    "goosefs.master.hostname", default: nil, .string,
    "Host name clients and workers use to reach the master. Set from GOOSEFS_MASTER_HOSTNAME.")
  public static let masterRpcPort = PropertyKey(
    "goosefs.master.rpc.port", default: "9200", .integer, "Master gRPC port.")
  public static let masterRpcFramedRequestsMax = PropertyKey(
    "goosefs.master.rpc.framed.requests.max", default: "256", .integer,
    "GooseFS-Swift only: calls of one framed-protocol connection the master runs at once; beyond that it stops reading the connection until one is answered.")
  public static let masterWebPort = PropertyKey(
    "goosefs.master.web.port", default: "9201", .integer, "Master web/metrics port.")
  public static let masterBindHost = PropertyKey(
    "goosefs.master.bind.host", default: "0.0.0.0", .string, "Address the master RPC server binds.")
  public static let masterWebBindHost = PropertyKey(
    "goosefs.master.web.bind.host", default: "0.0.0.0", .string, "Address the master web server binds.")
  public static let masterRpcAddresses = PropertyKey(
    "goosefs.master.rpc.addresses", default: nil, .list(.string),
    "host:port of every master, for clients of an HA cluster.")
  public static let masterEmbeddedJournalAddresses = PropertyKey(
    "goosefs.master.embedded.journal.addresses", default: nil, .list(.string),
    "host:port of every embedded-journal peer. Empty entries are skipped (Fluid renders a leading comma).")
  public static let masterEmbeddedJournalPort = PropertyKey(
    "goosefs.master.embedded.journal.port", default: "9202", .integer, "Embedded journal (Raft) port.")
  public static let masterEmbeddedJournalBindHost = PropertyKey(
    "goosefs.master.embedded.journal.bind.host", default: "0.0.0.0", .string,
    "Address the embedded journal binds.")
  public static let masterEmbeddedJournalElectionTimeoutMin = PropertyKey(
    "goosefs.master.embedded.journal.election.timeout.min", default: "10s", .duration,
    "Minimum Raft election timeout.")
  public static let masterEmbeddedJournalElectionTimeoutMax = PropertyKey(
    "goosefs.master.embedded.journal.election.timeout.max", default: "20s", .duration,
    "Maximum Raft election timeout.")
  public static let masterJournalType = PropertyKey(
    "goosefs.master.journal.type", default: "UFS", .enumeration(["UFS", "EMBEDDED", "NOOP"]),
    "UFS: a local/shared journal folder owned by one primary master. EMBEDDED: replicated among masters. NOOP: no journal (state lost on restart). Default UFS (Alluxio: EMBEDDED) because a single master is the common deployment and Fluid itself sets UFS for one master.")
  public static let masterJournalFolder = PropertyKey(
    "goosefs.master.journal.folder", default: "${goosefs.work.dir}/journal", .string,
    "Journal directory.")
  public static let masterJournalCheckpointPeriodEntries = PropertyKey(
    "goosefs.master.journal.checkpoint.period.entries", default: "2000000", .integer,
    "Journal entries written between checkpoints.")
  public static let masterJournalLogSizeBytesMax = PropertyKey(
    "goosefs.master.journal.log.size.bytes.max", default: "10MB", .byteSize,
    "Size at which a journal log segment is completed and a new one started.")
  public static let masterJournalFlushTimeout = PropertyKey(
    "goosefs.master.journal.flush.timeout", default: "5min", .duration,
    "How long a journal flush may keep failing before the master gives up its primacy.")
  public static let masterJournalInitFromBackup = PropertyKey(
    "goosefs.master.journal.init.from.backup", default: nil, .string,
    "Backup file to initialise an empty journal from.")
  public static let masterBackupDirectory = PropertyKey(
    "goosefs.master.backup.directory", default: "/goosefs_backups", .string,
    "Default directory for `fsadmin backup`.")
  public static let masterDailyBackupEnabled = PropertyKey(
    "goosefs.master.daily.backup.enabled", default: "false", .boolean, "Take a backup every day.")
  public static let masterDailyBackupTime = PropertyKey(
    "goosefs.master.daily.backup.time", default: "05:00", .string, "UTC time of the daily backup (HH:mm).")
  public static let masterDailyBackupFilesRetained = PropertyKey(
    "goosefs.master.daily.backup.files.retained", default: "3", .integer, "Daily backups kept.")
  public static let masterMountTableRootUfs = PropertyKey(
    "goosefs.master.mount.table.root.ufs", default: "${goosefs.work.dir}/underFSStorage", .string,
    "URI of the under storage mounted at /. Options come from goosefs.master.mount.table.root.option.<key> and from UFS credential properties (fs.cosn.*, s3a.*, …).")
  public static let masterMountTableRootReadonly = PropertyKey(
    "goosefs.master.mount.table.root.readonly", default: "false", .boolean, "Mount the root UFS read-only.")
  public static let masterMountTableRootShared = PropertyKey(
    "goosefs.master.mount.table.root.shared", default: "true", .boolean,
    "Root UFS is visible to all users.")
  public static let masterTtlCheckerInterval = PropertyKey(
    "goosefs.master.ttl.checker.interval", default: "1hour", .duration, "How often expired TTLs are acted on.")
  public static let masterWorkerTimeout = PropertyKey(
    "goosefs.master.worker.timeout", default: "5min", .duration,
    "A worker that has not sent a heartbeat for this long is lost.")
  public static let masterLostWorkerDetectionInterval = PropertyKey(
    "goosefs.master.lost.worker.detection.interval", default: "10sec", .duration,
    "How often the master looks for lost workers.")
  public static let masterReplicationCheckInterval = PropertyKey(
    "goosefs.master.replication.check.interval", default: "1min", .duration,
    "How often replication min/max are enforced.")
  public static let masterPersistenceCheckerInterval = PropertyKey(
    "goosefs.master.persistence.checker.interval", default: "1s", .duration,
    "How often finished persist jobs are checked.")
  public static let masterPersistenceSchedulerInterval = PropertyKey(
    "goosefs.master.persistence.scheduler.interval", default: "1s", .duration,
    "How often files waiting for persistence are scheduled.")
  public static let masterPersistenceInitialInterval = PropertyKey(
    "goosefs.master.persistence.initial.interval", default: "1s", .duration,
    "First retry delay of a failed persist.")
  public static let masterPersistenceMaxInterval = PropertyKey(
    "goosefs.master.persistence.max.interval", default: "1hr", .duration, "Longest retry delay of a failed persist.")
  public static let masterPersistenceMaxTotalWaitTime = PropertyKey(
    "goosefs.master.persistence.max.total.wait.time", default: "1day", .duration,
    "A file still not persisted after this long is given up on.")
  public static let masterMetastore = PropertyKey(
    "goosefs.master.metastore", default: "HEAP", .enumeration(["HEAP", "ROCKS"]),
    "Inode store. Both are accepted (Fluid sets ROCKS); this implementation always keeps metadata in memory.")
  public static let masterMetastoreDir = PropertyKey(
    "goosefs.master.metastore.dir", default: "${goosefs.work.dir}/metastore", .string,
    "Directory for an on-disk metastore (unused: heap only).")
  public static let masterMetastoreInodeCacheMaxSize = PropertyKey(
    "goosefs.master.metastore.inode.cache.max.size", default: "6135667", .integer,
    "Inode cache size of an on-disk metastore (accepted, unused).")
  public static let masterMetadataSyncConcurrencyLevel = PropertyKey(
    "goosefs.master.metadata.sync.concurrency.level", default: "6", .integer,
    "Directories synced concurrently by one metadata sync.")
  public static let masterMetadataSyncExecutorPoolSize = PropertyKey(
    "goosefs.master.metadata.sync.executor.pool.size", default: nil, .integer,
    "Threads for metadata sync (default: number of processors).")
  public static let masterMetadataSyncUfsPrefetchPoolSize = PropertyKey(
    "goosefs.master.metadata.sync.ufs.prefetch.pool.size", default: nil, .integer,
    "Threads prefetching UFS listings for metadata sync (default: number of processors).")
  public static let masterRpcExecutorMaxPoolSize = PropertyKey(
    "goosefs.master.rpc.executor.max.pool.size", default: "500", .integer, "Upper bound on concurrent master RPCs.")
  public static let masterRpcExecutorCorePoolSize = PropertyKey(
    "goosefs.master.rpc.executor.core.pool.size", default: nil, .integer,
    "Master RPC threads kept alive (accepted; Swift concurrency sizes itself).")
  public static let masterAuditLoggingEnabled = PropertyKey(
    "goosefs.master.audit.logging.enabled", default: "false", .boolean, "Write an audit log of namespace operations.")
  public static let masterTieredstoreGlobalMediumtype = PropertyKey(
    "goosefs.master.tieredstore.global.mediumtype", default: "MEM,SSD,HDD", .list(.string),
    "Storage media known to the cluster, fastest first.")
  public static let masterConsistentHashVirtualNodeNumPerWorker = PropertyKey(
    "goosefs.master.consistent.hash.virtual.node.num.per.worker", default: "5000", .integer,
    "Virtual nodes per worker on the consistent-hash ring.")
  public static let masterUpdateCheckEnabled = PropertyKey(
    "goosefs.master.update.check.enabled", default: "false", .boolean,
    "Check for new releases. Accepted; this implementation never contacts the network for it.")

  /// `goosefs.master.mount.table.root.option.<k>=<v>` passes option `<k>` to the root mount.
  public static let masterMountTableRootOptionPrefix = "goosefs.master.mount.table.root.option."

  static let masterKeys: [PropertyKey] = [
    masterHostname, masterRpcPort, masterRpcFramedRequestsMax, masterWebPort, masterBindHost, masterWebBindHost, masterRpcAddresses,
    masterEmbeddedJournalAddresses, masterEmbeddedJournalPort, masterEmbeddedJournalBindHost,
    masterEmbeddedJournalElectionTimeoutMin, masterEmbeddedJournalElectionTimeoutMax, masterJournalType,
    masterJournalFolder, masterJournalCheckpointPeriodEntries, masterJournalLogSizeBytesMax,
    masterJournalFlushTimeout, masterJournalInitFromBackup, masterBackupDirectory, masterDailyBackupEnabled,
    masterDailyBackupTime, masterDailyBackupFilesRetained, masterMountTableRootUfs,
    masterMountTableRootReadonly, masterMountTableRootShared, masterTtlCheckerInterval, masterWorkerTimeout,
    masterLostWorkerDetectionInterval, masterReplicationCheckInterval, masterPersistenceCheckerInterval,
    masterPersistenceSchedulerInterval, masterPersistenceInitialInterval, masterPersistenceMaxInterval,
    masterPersistenceMaxTotalWaitTime, masterMetastore, masterMetastoreDir, masterMetastoreInodeCacheMaxSize,
    masterMetadataSyncConcurrencyLevel, masterMetadataSyncExecutorPoolSize,
    masterMetadataSyncUfsPrefetchPoolSize, masterRpcExecutorMaxPoolSize, masterRpcExecutorCorePoolSize,
    masterAuditLoggingEnabled, masterTieredstoreGlobalMediumtype, masterConsistentHashVirtualNodeNumPerWorker,
    masterUpdateCheckEnabled,
  ]
}
