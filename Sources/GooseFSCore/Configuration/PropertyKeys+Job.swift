/// The job service (distributedLoad, persist, …): job master and job workers.
extension PropertyKeys {
  public static let jobMasterHostname = PropertyKey(
    "goosefs.job.master.hostname", default: "${goosefs.master.hostname}", .string,
    "Job master host; it runs beside the master.")
  public static let jobMasterRpcPort = PropertyKey(
    "goosefs.job.master.rpc.port", default: "9205", .integer, "Job master gRPC port.")
  public static let jobMasterWebPort = PropertyKey(
    "goosefs.job.master.web.port", default: "9206", .integer, "Job master web port.")
  public static let jobMasterEmbeddedJournalPort = PropertyKey(
    "goosefs.job.master.embedded.journal.port", default: "9207", .integer, "Job master embedded journal port.")
  public static let jobMasterBindHost = PropertyKey(
    "goosefs.job.master.bind.host", default: "0.0.0.0", .string, "Address the job master binds.")
  public static let jobMasterWebBindHost = PropertyKey(
    "goosefs.job.master.web.bind.host", default: "0.0.0.0", .string, "Address the job master web server binds.")
  public static let jobMasterRpcAddresses = PropertyKey(
    "goosefs.job.master.rpc.addresses", default: nil, .list(.string), "host:port of every job master (HA).")
  public static let jobMasterJobCapacity = PropertyKey(
    "goosefs.job.master.job.capacity", default: "100000", .integer, "Jobs the job master tracks at once.")
  public static let jobMasterFinishedJobRetentionTime = PropertyKey(
    "goosefs.job.master.finished.job.retention.time", default: "60sec", .duration,
    "How long a finished job stays queryable.")
  public static let jobMasterWorkerTimeout = PropertyKey(
    "goosefs.job.master.worker.timeout", default: "60sec", .duration,
    "A job worker silent for this long is lost.")
  public static let jobWorkerRpcPort = PropertyKey(
    "goosefs.job.worker.rpc.port", default: "9208", .integer, "Job worker gRPC port.")
  public static let jobWorkerDataPort = PropertyKey(
    "goosefs.job.worker.data.port", default: "9209", .integer, "Job worker data port.")
  public static let jobWorkerWebPort = PropertyKey(
    "goosefs.job.worker.web.port", default: "9210", .integer, "Job worker web port.")
  public static let jobWorkerBindHost = PropertyKey(
    "goosefs.job.worker.bind.host", default: "0.0.0.0", .string, "Address the job worker binds.")
  public static let jobWorkerWebBindHost = PropertyKey(
    "goosefs.job.worker.web.bind.host", default: "0.0.0.0", .string, "Address the job worker web server binds.")
  public static let jobWorkerThreadpoolSize = PropertyKey(
    "goosefs.job.worker.threadpool.size", default: "10", .integer, "Tasks a job worker runs concurrently.")

  static let jobKeys: [PropertyKey] = [
    jobMasterHostname, jobMasterRpcPort, jobMasterWebPort, jobMasterEmbeddedJournalPort, jobMasterBindHost,
    jobMasterWebBindHost, jobMasterRpcAddresses, jobMasterJobCapacity, jobMasterFinishedJobRetentionTime,
    jobMasterWorkerTimeout, jobWorkerRpcPort, jobWorkerDataPort, jobWorkerWebPort, jobWorkerBindHost,
    jobWorkerWebBindHost, jobWorkerThreadpoolSize,
  ]
}
