import GooseFSClient
import GooseFSCore

/// `distributedLoad [--replication N] [-A] [--expire-time T] [--active-jobs N] [--batch-size N] <path>`.
/// Fluid's DataLoad job runs it under `set -e` and judges the load by the exit code alone, so
/// it blocks until every file below the path has N cached copies, and exits 0 only then.
///
/// Output (Alluxio's job-service wording): one `Successfully loaded path <p>` or
/// `Failed to load path <p>: <reason>` line per file as it finishes, then
/// `Total completed file count is N, failed file count is M`.
///
/// `-A` (GooseFS: "atomic" load, which stages data in a temporary directory) is accepted: the
/// load is all-or-nothing from the caller's side anyway (the exit code), and no temporary
/// directory is used, so `--expire-time` (that directory's lifetime) is validated and has
/// nothing to expire. Loaded data never gets a TTL from this command.
enum DistributedLoadCommand {
  static let spec = CommandSpec(
    name: "distributedLoad",
    usage: "distributedLoad [-A] [--replication <num>] [--active-jobs <num>] [--batch-size <num>] "
      + "[--expire-time <time>] <path>",
    description: "Loads a file or all files in a directory into GooseFS space and waits until every "
      + "file has the requested number of cached replicas (default 1). --active-jobs bounds the files "
      + "loaded at once; -A, --batch-size and --expire-time are accepted for GooseFS compatibility.",
    options: [
      .flag("A", "-A"), .value("replication"), .value("active-jobs"), .value("batch-size"),
      .value("expire-time"),
    ],
    arguments: 1...1
  ) { arguments, context in
    let replication = try arguments.integer("replication", minimum: 1, default: 1)
    let concurrency = try arguments.integer("active-jobs", minimum: 1, default: defaultConcurrency)
    _ = try arguments.integer("batch-size", minimum: 1, default: 1)
    if let expiry = arguments.value("expire-time") {
      guard let milliseconds = try? TimeDuration.parseMilliseconds(expiry), milliseconds >= 0 else {
        throw ShellFailure.usage("Invalid value \(expiry) for --expire-time: expected a time such as 43200000 or 12h")
      }
    }
    let path = try ShellPath.normalize(arguments.positionals[0])
    let fileSystem = try await context.fileSystem()
    let status = try await fileSystem.getStatus(path, syncIntervalMs: nil)
    let files = try await FileTree.files(under: status, in: fileSystem)
    let tally = Tally()
    let request = CacheRequest(replication: replication)
    await BoundedConcurrency.forEach(files, limit: min(concurrency, maximumConcurrency)) { file in
      do {
        // The listing has no block locations; the file's own status has them.
        let info = try await fileSystem.getStatus(file.path, syncIntervalMs: nil)
        if !hasReplicas(info, replication) {
          try await fileSystem.cache(info, request) { _ in }
        }
        tally.succeeded()
        context.output.line("Successfully loaded path \(file.path)")
      } catch {
        tally.failed()
        context.output.line("Failed to load path \(file.path): \(ShellErrorText.message(of: error))")
      }
    }
    context.output.line(
      "Total completed file count is \(tally.succeededCount), failed file count is \(tally.failedCount)")
    return tally.failedCount == 0 ? ExitCode.success : ExitCode.failure
  }

  /// Files loaded at once when `--active-jobs` is not given.
  static let defaultConcurrency = 16
  /// GooseFS's default `--active-jobs` is 3000 jobs on a job service; here each is a client
  /// request in this process, so the value is capped.
  static let maximumConcurrency = 256

  /// Already cached enough: every block has `replication` copies (an empty file has no blocks).
  static func hasReplicas(_ info: FileInfo, _ replication: Int) -> Bool {
    if info.length == 0 { return true }
    guard !info.fileBlockInfos.isEmpty else { return false }
    return info.fileBlockInfos.allSatisfy { Set($0.locations.map(\.workerID)).count >= replication }
  }
}
