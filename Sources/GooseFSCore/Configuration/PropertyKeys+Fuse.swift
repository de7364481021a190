/// The FUSE process.
extension PropertyKeys {
  public static let fuseJnifuseEnabled = PropertyKey(
    "goosefs.fuse.jnifuse.enabled", default: "true", .boolean, "Java FUSE binding choice; accepted and ignored.")
  public static let fuseCachedPathsMax = PropertyKey(
    "goosefs.fuse.cached.paths.max", default: "500", .integer, "FUSE path → GooseFS path translations cached.")
  public static let fuseDebugEnabled = PropertyKey(
    "goosefs.fuse.debug.enabled", default: "false", .boolean, "Log every FUSE operation.")
  public static let fuseFsName = PropertyKey(
    "goosefs.fuse.fs.name", default: "goosefs-fuse", .string, "File system name shown in the mount table.")
  public static let fuseLoggingThreshold = PropertyKey(
    "goosefs.fuse.logging.threshold", default: "10s", .duration, "FUSE operations slower than this are logged.")
  public static let fuseMaxwriteBytes = PropertyKey(
    "goosefs.fuse.maxwrite.bytes", default: "128KB", .byteSize, "Largest write the kernel sends at once.")
  public static let fuseUmountTimeout = PropertyKey(
    "goosefs.fuse.umount.timeout", default: "1min", .duration, "How long unmount waits for open files.")
  public static let fuseUserGroupTranslationEnabled = PropertyKey(
    "goosefs.fuse.user.group.translation.enabled", default: "false", .boolean,
    "Map GooseFS owner names to local uid/gid (Fluid sets true unless the Dataset has an owner).")
  public static let fuseWebEnabled = PropertyKey(
    "goosefs.fuse.web.enabled", default: "false", .boolean, "Serve FUSE metrics over HTTP.")
  public static let fuseWebPort = PropertyKey(
    "goosefs.fuse.web.port", default: "9213", .integer, "FUSE web/metrics port.")
  public static let fuseListEntriesCacheEnabled = PropertyKey(
    "goosefs.fuse.list.entries.cache.enabled", default: "false", .boolean, "Cache directory listings in FUSE.")

  public static let fuseMaxBackground = PropertyKey(
    "goosefs.fuse.max.background", default: "64", .integer,
    "Background requests (reads ahead, writes back) the kernel keeps in flight (FUSE max_background; the "
      + "congestion threshold is 3/4 of it) (GooseFS-Swift).")
  public static let fuseRequestsMax = PropertyKey(
    "goosefs.fuse.requests.max", default: "256", .integer,
    "FUSE requests the daemon works on at once; a libfuse thread waits for a slot beyond it (GooseFS-Swift).")
  public static let fuseHandleQueueMax = PropertyKey(
    "goosefs.fuse.handle.queue.max", default: "64", .integer,
    "Operations waiting on one open file; the kernel's request waits for room beyond it (GooseFS-Swift).")

  public static let fuseWriteBehindEnabled = PropertyKey(
    "goosefs.fuse.write.behind.enabled", default: "true", .boolean,
    "close() of a file written with a cache write type returns once its blocks are on workers; the file is "
      + "completed on the master right after, in order; fsync waits for it (GooseFS-Swift).")

  static let fuseKeys: [PropertyKey] = [
    fuseJnifuseEnabled, fuseCachedPathsMax, fuseDebugEnabled, fuseFsName, fuseLoggingThreshold,
    fuseMaxwriteBytes, fuseUmountTimeout, fuseUserGroupTranslationEnabled, fuseWebEnabled, fuseWebPort,
    fuseListEntriesCacheEnabled, fuseMaxBackground, fuseRequestsMax, fuseHandleQueueMax, fuseWriteBehindEnabled,
  ]
}
