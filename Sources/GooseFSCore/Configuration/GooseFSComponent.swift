/// The kinds of process that read configuration. Each one layers its own `*_JAVA_OPTS` variable
/// over the shared `GOOSEFS_JAVA_OPTS`, exactly like the GooseFS launcher scripts do.
public enum GooseFSComponent: String, Sendable, CaseIterable {
  case master
  case worker
  case fuse
  case client
  case jobMaster
  case jobWorker

  /// Component-specific option variables, lowest precedence first.
  ///
  /// FUSE is a client process, and Fluid sets `GOOSEFS_CLIENT_JAVA_OPTS` in the FUSE container to
  /// give it `goosefs.user.hostname`; so FUSE reads the client variables first and its own last.
  public var javaOptionsVariables: [String] {
    switch self {
    case .master: ["GOOSEFS_MASTER_JAVA_OPTS"]
    case .worker: ["GOOSEFS_WORKER_JAVA_OPTS"]
    case .fuse: ["GOOSEFS_USER_JAVA_OPTS", "GOOSEFS_CLIENT_JAVA_OPTS", "GOOSEFS_FUSE_JAVA_OPTS"]
    case .client: ["GOOSEFS_USER_JAVA_OPTS", "GOOSEFS_CLIENT_JAVA_OPTS"]
    case .jobMaster: ["GOOSEFS_JOB_MASTER_JAVA_OPTS"]
    case .jobWorker: ["GOOSEFS_JOB_WORKER_JAVA_OPTS"]
    }
  }
}
