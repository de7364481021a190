/// The worker process: addresses, memory and the block store's housekeeping.
extension PropertyKeys {
  public static let workerHostname = PropertyKey(
    "goosefs.worker.hostname", default: nil, .string,
    "Host name the worker registers with (Fluid: the node IP). Defaults to the local host name.")
  public static let workerContainerHostname = PropertyKey(
    "goosefs.worker.container.hostname", default: nil, .string,
    "Pod IP of a worker not on the host network, used to recognise clients in the same pod.")
  public static let workerRpcPort = PropertyKey(
    "goosefs.worker.rpc.port", default: "9203", .integer, "Worker gRPC (data) port.")
  public static let workerWebPort = PropertyKey(
    "goosefs.worker.web.port", default: "9204", .integer, "Worker web/metrics port.")
  public static let workerBindHost = PropertyKey(
    "goosefs.worker.bind.host", default: "0.0.0.0", .string, "Address the worker RPC server binds.")
  public static let workerWebBindHost = PropertyKey(
    "goosefs.worker.web.bind.host", default: "0.0.0.0", .string, "Address the worker web server binds.")
  public static let workerMemorySize = PropertyKey(
    "goosefs.worker.memory.size", default: nil, .byteSize,
    "Memory the worker may use. Fluid copies the pod's memory request here (Kubernetes units such as 32Gi are accepted).")
  public static let workerRamdiskSize = PropertyKey(
    "goosefs.worker.ramdisk.size", default: "1GB", .byteSize,
    "Size of the MEM tier when its quota is not given (Alluxio: 2/3 of RAM).")
  public static let workerDataFolder = PropertyKey(
    "goosefs.worker.data.folder", default: "/goosefsworker/", .string,
    "Folder under each tier directory that holds block files.")
  public static let workerDataFolderTmp = PropertyKey(
    "goosefs.worker.data.folder.tmp", default: ".tmp_blocks", .string, "Folder for blocks being written.")
  public static let workerBlockHeartbeatInterval = PropertyKey(
    "goosefs.worker.block.heartbeat.interval", default: "1sec", .duration, "Worker → master heartbeat period.")
  public static let workerSessionTimeout = PropertyKey(
    "goosefs.worker.session.timeout", default: "1min", .duration,
    "A client session without activity for this long is cleaned up.")
  public static let workerNetworkReaderBufferSize = PropertyKey(
    "goosefs.worker.network.reader.buffer.size", default: "4MB", .byteSize,
    "Data buffered ahead of a reading client.")
  public static let workerFileBufferSize = PropertyKey(
    "goosefs.worker.file.buffer.size", default: "1MB", .byteSize, "Buffer for reading block files.")
  public static let workerBlockMasterClientPoolSize = PropertyKey(
    "goosefs.worker.block.master.client.pool.size", default: "11", .integer,
    "Connections from a worker to the master.")
  public static let workerManagementTierAlignEnabled = PropertyKey(
    "goosefs.worker.management.tier.align.enabled", default: "true", .boolean,
    "Swap blocks between tiers so hotter blocks sit higher.")
  public static let workerManagementTierPromoteEnabled = PropertyKey(
    "goosefs.worker.management.tier.promote.enabled", default: "true", .boolean,
    "Move blocks up to free space in higher tiers.")
  public static let workerUfsInstreamCacheEnabled = PropertyKey(
    "goosefs.worker.ufs.instream.cache.enabled", default: "true", .boolean, "Reuse open UFS input streams.")
  public static let workerDataServerDomainSocketAddress = PropertyKey(
    "goosefs.worker.data.server.domain.socket.address", default: nil, .string,
    "Unix domain socket for short-circuit data transfer (empty: disabled).")
  public static let workerIoUringEnabled = PropertyKey(
    "goosefs.worker.io.uring.enabled", default: "true", .boolean,
    "Use io_uring for block file I/O when the kernel and the container allow it (GooseFS-Swift; "
      + "falls back to pread/pwrite with one log line otherwise).")

  // Limits (docs/configuration.md "Limits"): every queue and fan-out of the worker has one.
  public static let workerBlockIOThreads = PropertyKey(
    "goosefs.worker.block.io.threads", default: "8", .integer,
    "Dedicated threads for block-file work (open, write, fsync, rename, delete, eviction); the only "
      + "place the worker's store touches disk, so a slow fsync never stalls async work (GooseFS-Swift).")
  public static let workerNetworkConnectionsMax = PropertyKey(
    "goosefs.worker.network.connections.max", default: "1024", .integer,
    "Block-protocol connections served at once; more are refused with an error frame (GooseFS-Swift).")
  public static let workerAsyncCacheThreadsMax = PropertyKey(
    "goosefs.worker.network.async.cache.manager.threads.max", default: "4", .integer,
    "Blocks fetched from the under store into the cache in the background at once.")
  public static let workerAsyncCacheQueueMax = PropertyKey(
    "goosefs.worker.network.async.cache.manager.queue.max", default: "256", .integer,
    "Background cache fetches waiting; more are dropped (the next miss asks again).")
  public static let workerUfsInstreamCacheMaxSize = PropertyKey(
    "goosefs.worker.ufs.instream.cache.max.size", default: "64", .integer,
    "Open under-store input streams kept for reuse; the least recently used is closed beyond it.")
  public static let workerPersistQueueMax = PropertyKey(
    "goosefs.worker.persist.queue.max", default: "1024", .integer,
    "Persist jobs queued on a worker; more are refused (the master schedules them again) (GooseFS-Swift).")

  static let workerKeys: [PropertyKey] = [
    workerHostname, workerContainerHostname, workerRpcPort, workerWebPort, workerBindHost, workerWebBindHost,
    workerMemorySize, workerRamdiskSize, workerDataFolder, workerDataFolderTmp, workerBlockHeartbeatInterval,
    workerSessionTimeout, workerNetworkReaderBufferSize, workerFileBufferSize, workerBlockMasterClientPoolSize,
    workerManagementTierAlignEnabled, workerManagementTierPromoteEnabled, workerUfsInstreamCacheEnabled,
    workerDataServerDomainSocketAddress, workerIoUringEnabled, workerBlockIOThreads, workerNetworkConnectionsMax,
    workerAsyncCacheThreadsMax, workerAsyncCacheQueueMax, workerUfsInstreamCacheMaxSize, workerPersistQueueMax,
  ]
}
