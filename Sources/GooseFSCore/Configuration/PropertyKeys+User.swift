/// Client behaviour (`goosefs.user.*`): used by the CLI, FUSE and anything else that reads or
/// writes files.
extension PropertyKeys {
  public static let userHostname = PropertyKey(
    "goosefs.user.hostname", default: nil, .string,
    "Host name of this client, used to find a local worker. Fluid passes ${GOOSEFS_CLIENT_HOSTNAME}, which is undefined (so unset) outside FUSE.")
  public static let userBlockSizeBytesDefault = PropertyKey(
    "goosefs.user.block.size.bytes.default", default: "64MB", .byteSize, "Block size of new files.")
  public static let userFileReadtypeDefault = PropertyKey(
    "goosefs.user.file.readtype.default", default: "CACHE", .enumeration(["NO_CACHE", "CACHE", "CACHE_PROMOTE"]),
    "Whether reads cache data in workers.")
  public static let userFileWritetypeDefault = PropertyKey(
    "goosefs.user.file.writetype.default", default: "ASYNC_THROUGH",
    .enumeration(["MUST_CACHE", "CACHE_THROUGH", "THROUGH", "ASYNC_THROUGH"]),
    "Where writes go: cache only, cache and UFS synchronously, UFS only, or cache then UFS asynchronously.")
  public static let userFileReplicationMin = PropertyKey(
    "goosefs.user.file.replication.min", default: "0", .integer, "Minimum cached copies of new files' blocks.")
  public static let userFileReplicationMax = PropertyKey(
    "goosefs.user.file.replication.max", default: "-1", .integer,
    "Maximum cached copies of new files' blocks (-1: no limit).")
  public static let userFileReplicationDurable = PropertyKey(
    "goosefs.user.file.replication.durable", default: "1", .integer,
    "Copies kept for ASYNC_THROUGH data until it is persisted.")
  public static let userFileMetadataSyncInterval = PropertyKey(
    "goosefs.user.file.metadata.sync.interval", default: "-1", .duration,
    "How stale metadata may be before it is re-synced with the UFS: -1 never, 0 always.")
  public static let userFileMetadataLoadType = PropertyKey(
    "goosefs.user.file.metadata.load.type", default: "ONCE", .enumeration(["NEVER", "ONCE", "ALWAYS"]),
    "When metadata missing from GooseFS is loaded from the UFS.")
  public static let userFileCreateTtl = PropertyKey(
    "goosefs.user.file.create.ttl", default: "-1", .duration, "TTL of new files (-1: none).")
  public static let userFileCreateTtlAction = PropertyKey(
    "goosefs.user.file.create.ttl.action", default: "DELETE", .enumeration(["DELETE", "FREE"]),
    "What happens to a file whose TTL expires.")
  public static let userFileBufferBytes = PropertyKey(
    "goosefs.user.file.buffer.bytes", default: "8MB", .byteSize, "Client file buffer.")
  public static let userFilePassiveCacheEnabled = PropertyKey(
    "goosefs.user.file.passive.cache.enabled", default: "true", .boolean,
    "Cache remotely read blocks in the local worker.")
  public static let userFileWriteTierDefault = PropertyKey(
    "goosefs.user.file.write.tier.default", default: "0", .integer, "Tier new blocks are written to.")
  public static let userFileWaitcompletedPoll = PropertyKey(
    "goosefs.user.file.waitcompleted.poll", default: "1sec", .duration,
    "Poll period while waiting for an incomplete file.")
  public static let userFilePersistenceInitialWaitTime = PropertyKey(
    "goosefs.user.file.persistence.initial.wait.time", default: "0", .duration,
    "Delay before an ASYNC_THROUGH file is persisted.")
  public static let userFilePersistOnRename = PropertyKey(
    "goosefs.user.file.persist.on.rename", default: "false", .boolean, "Persist a file when it is renamed.")
  public static let userFileMasterClientThreads = PropertyKey(
    "goosefs.user.file.master.client.threads", default: "10", .integer, "Client connections for file metadata.")
  public static let userBlockMasterClientThreads = PropertyKey(
    "goosefs.user.block.master.client.threads", default: "10", .integer, "Client connections for block metadata.")
  public static let userBlockMasterClientPoolGcThreshold = PropertyKey(
    "goosefs.user.block.master.client.pool.gc.threshold", default: "120sec", .duration,
    "Idle time after which a pooled master connection is closed.")
  public static let userBlockWorkerClientPoolMin = PropertyKey(
    "goosefs.user.block.worker.client.pool.min", default: "0", .integer, "Worker connections kept open.")
  public static let userBlockAvoidEvictionPolicyReservedSizeBytes = PropertyKey(
    "goosefs.user.block.avoid.eviction.policy.reserved.size.bytes", default: "0MB", .byteSize,
    "Space LocalFirstAvoidEvictionPolicy keeps free on a worker.")
  public static let userUfsBlockReadLocationPolicy = PropertyKey(
    "goosefs.user.ufs.block.read.location.policy", default: "com.qcloud.cos.goosefs.client.block.policy.LocalFirstPolicy",
    .string, "Worker chosen to cache a block read from the UFS; only the class's simple name matters.")
  public static let userRpcRetryMaxDuration = PropertyKey(
    "goosefs.user.rpc.retry.max.duration", default: "2min", .duration, "Total time a failing RPC is retried.")
  public static let userRpcRetryBaseSleep = PropertyKey(
    "goosefs.user.rpc.retry.base.sleep", default: "50ms", .duration, "First retry delay (doubles each time).")
  public static let userRpcRetryMaxSleep = PropertyKey(
    "goosefs.user.rpc.retry.max.sleep", default: "3sec", .duration, "Longest retry delay.")
  public static let userMasterRpcTimeout = PropertyKey(
    "goosefs.user.master.rpc.timeout", default: "5min", .duration,
    "GooseFS-Swift only: deadline of one attempt of a unary master RPC, so a master that accepts a connection but never answers cannot hang the client. Generous because a listing with metadata sync can be slow; retries (goosefs.user.rpc.retry.*) come on top.")
  public static let userMasterRpcFramedEnabled = PropertyKey(
    "goosefs.user.master.rpc.framed.enabled", default: "true", .boolean,
    "GooseFS-Swift only: send the hot metadata calls (getStatus, create, complete, remove, rename, mkdir, setAttribute) over the framed master protocol on the master's RPC port instead of gRPC (docs/architecture.md).")
  public static let userStreamingDataTimeout = PropertyKey(
    "goosefs.user.streaming.data.timeout", default: "30sec", .duration,
    "Longest wait for the next message of a data stream.")
  public static let userStreamingReaderChunkSizeBytes = PropertyKey(
    "goosefs.user.streaming.reader.chunk.size.bytes", default: "1MB", .byteSize, "Chunk size of block reads.")
  public static let userStreamingWriterChunkSizeBytes = PropertyKey(
    "goosefs.user.streaming.writer.chunk.size.bytes", default: "1MB", .byteSize, "Chunk size of block writes.")
  public static let userLocalReaderChunkSizeBytes = PropertyKey(
    "goosefs.user.local.reader.chunk.size.bytes", default: "8MB", .byteSize, "Chunk size of short-circuit reads.")
  public static let userLocalWriterChunkSizeBytes = PropertyKey(
    "goosefs.user.local.writer.chunk.size.bytes", default: "64KB", .byteSize, "Chunk size of short-circuit writes.")
  public static let userNetworkDataTransferChunkSize = PropertyKey(
    "goosefs.user.network.data.transfer.chunk.size", default: "1MB", .byteSize, "GooseFS name for the data chunk size.")
  public static let userShortCircuitEnabled = PropertyKey(
    "goosefs.user.short.circuit.enabled", default: "true", .boolean,
    "Read a co-located worker's block files directly (by path, or by a descriptor passed over the worker's Unix socket).")
  public static let userShortCircuitPreferred = PropertyKey(
    "goosefs.user.short.circuit.preferred", default: "false", .boolean, "Prefer short-circuit over domain socket.")
  public static let userShortCircuitLeasesMax = PropertyKey(
    "goosefs.user.short.circuit.leases.max", default: "1024", .integer,
    "Idle short-circuit block leases a client keeps for reuse by later opens (GooseFS-Swift).")
  public static let userShortCircuitLeasesMaxBytes = PropertyKey(
    "goosefs.user.short.circuit.leases.max.bytes", default: "1GB", .byteSize,
    "Bytes of blocks held by idle short-circuit leases of a client (GooseFS-Swift).")
  public static let userShortCircuitLeaseIdleTime = PropertyKey(
    "goosefs.user.short.circuit.lease.idle.time", default: "10sec", .duration,
    "An idle short-circuit lease is given back to its worker after this long (GooseFS-Swift).")
  public static let userDirectMemoryIoEnabled = PropertyKey(
    "goosefs.user.direct.memory.io.enabled", default: "false", .boolean,
    "Read a co-located MEM tier directly (Fluid sets it for single-tier read-only datasets).")
  public static let userMetadataCacheEnabled = PropertyKey(
    "goosefs.user.metadata.cache.enabled", default: "false", .boolean, "Cache file metadata in the client.")
  public static let userMetadataCacheMaxSize = PropertyKey(
    "goosefs.user.metadata.cache.max.size", default: "100000", .integer, "Entries in the client metadata cache.")
  public static let userMetadataCacheExpirationTime = PropertyKey(
    "goosefs.user.metadata.cache.expiration.time", default: "10min", .duration, "Lifetime of a cached entry.")
  public static let userMetricsCollectionEnabled = PropertyKey(
    "goosefs.user.metrics.collection.enabled", default: "false", .boolean, "Send client metrics to the master.")
  public static let userMetricsHeartbeatInterval = PropertyKey(
    "goosefs.user.metrics.heartbeat.interval", default: "10sec", .duration, "Client metrics period.")
  public static let userDateFormatPattern = PropertyKey(
    "goosefs.user.date.format.pattern", default: "MM-dd-yyyy HH:mm:ss:SSS", .string,
    "Java date pattern for times printed by the CLI.")
  public static let userWorkerListRefreshInterval = PropertyKey(
    "goosefs.user.worker.list.refresh.interval", default: "2min", .duration, "How often a client refreshes the worker list.")
  public static let userUpdateFileAccesstimeDisabled = PropertyKey(
    "goosefs.user.update.file.accesstime.disabled", default: "false", .boolean,
    "Skip the access-time update RPC after reads.")
  public static let userClientCacheEnabled = PropertyKey(
    "goosefs.user.client.cache.enabled", default: "false", .boolean, "Client-side page cache (not supported; must stay false).")
  public static let userConfClusterDefaultEnabled = PropertyKey(
    "goosefs.user.conf.cluster.default.enabled", default: "true", .boolean,
    "Fetch cluster defaults from the master.")
  public static let userLoggingThreshold = PropertyKey(
    "goosefs.user.logging.threshold", default: "10s", .duration, "Client RPCs slower than this are logged.")
  public static let userClientTransparentAccelerationEnabled = PropertyKey(
    "goosefs.user.client.transparent_acceleration.enabled", default: "false", .boolean,
    "Map cosn:// and ofs:// paths onto GooseFS namespaces.")
  public static let userClientNamespaceRefreshInterval = PropertyKey(
    "goosefs.user.client.namespace.refresh.interval", default: "60s", .duration,
    "How often the namespace mapping for transparent acceleration is refreshed.")

  static let userKeys: [PropertyKey] = [
    userHostname, userBlockSizeBytesDefault, userFileReadtypeDefault, userFileWritetypeDefault,
    userFileReplicationMin, userFileReplicationMax, userFileReplicationDurable, userFileMetadataSyncInterval,
    userFileMetadataLoadType, userFileCreateTtl, userFileCreateTtlAction, userFileBufferBytes,
    userFilePassiveCacheEnabled, userFileWriteTierDefault, userFileWaitcompletedPoll,
    userFilePersistenceInitialWaitTime, userFilePersistOnRename, userFileMasterClientThreads,
    userBlockMasterClientThreads, userBlockMasterClientPoolGcThreshold, userBlockWorkerClientPoolMin,
    userBlockAvoidEvictionPolicyReservedSizeBytes, userUfsBlockReadLocationPolicy, userRpcRetryMaxDuration,
    userRpcRetryBaseSleep, userRpcRetryMaxSleep, userMasterRpcTimeout, userMasterRpcFramedEnabled, userStreamingDataTimeout,
    userStreamingReaderChunkSizeBytes, userStreamingWriterChunkSizeBytes, userLocalReaderChunkSizeBytes,
    userLocalWriterChunkSizeBytes, userNetworkDataTransferChunkSize, userShortCircuitEnabled,
    userShortCircuitPreferred, userShortCircuitLeasesMax, userShortCircuitLeasesMaxBytes, userShortCircuitLeaseIdleTime, userDirectMemoryIoEnabled, userMetadataCacheEnabled, userMetadataCacheMaxSize,
    userMetadataCacheExpirationTime, userMetricsCollectionEnabled, userMetricsHeartbeatInterval,
    userDateFormatPattern, userWorkerListRefreshInterval, userUpdateFileAccesstimeDisabled,
    userClientCacheEnabled, userConfClusterDefaultEnabled, userLoggingThreshold,
    userClientTransparentAccelerationEnabled, userClientNamespaceRefreshInterval,
  ]
}
