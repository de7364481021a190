import GooseFSClient
import GooseFSCore

/// `setReplication [-R] [--max N] [--min N] <path>` (Alluxio SetReplicationCommand). Fluid's
/// DataLoad runs `setReplication --max $replica -R $path`; Alluxio spells the options `-max` and
/// `-min`, so both spellings work. `--max -1` means no limit.
enum SetReplicationCommand {
  static let spec = CommandSpec(
    name: "setReplication",
    usage: "setReplication [-R] [--max <num> | --min <num>] <path>",
    description: "Sets the minimum/maximum number of replicas for the file or directory at given path. "
      + "Specify '-1' as the argument of '--max' option to indicate no limit of the maximum number of "
      + "replicas. If 'path' is a directory and '-R' is specified, it will recursively set all files "
      + "in this directory.",
    options: [.flag("R"), .value("max", "--max", "-max"), .value("min", "--min", "-min")],
    arguments: 1...1
  ) { arguments, context in
    let maximum = try replicas(arguments, "max", lowest: -1)
    let minimum = try replicas(arguments, "min", lowest: 0)
    if maximum == nil && minimum == nil {
      throw ShellFailure.message("At least one option of '-max' or '-min' must be specified")
    }
    if let maximum, let minimum, maximum >= 0, maximum < minimum {
      throw ShellFailure.message("Invalid values for '-max' and '-min' options")
    }
    let argument = arguments.positionals[0]
    try await context.fileSystem().setAttribute(
      ShellPath.normalize(argument),
      SetAttributeOptions(recursive: arguments.has("R"), replicationMin: minimum, replicationMax: maximum))
    context.output.line("Changed the replication level of \(argument)")
    if let maximum { context.output.line("replicationMax was set to \(maximum)") }
    if let minimum { context.output.line("replicationMin was set to \(minimum)") }
    // Alluxio builds the message with a trailing newline and then println's it.
    context.output.line()
    return ExitCode.success
  }

  private static func replicas(_ arguments: ParsedArguments, _ key: String, lowest: Int32) throws -> Int32? {
    guard let text = arguments.value(key) else { return nil }
    guard let value = Int32(text), value >= lowest else {
      throw ShellFailure.usage("Invalid value \(text) for --\(key): expected an integer ≥ \(lowest)")
    }
    return value
  }
}
