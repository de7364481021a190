import GooseFSClient
import GooseFSCore

/// `loadMetadata` and `checkConsistency`: under-store synchronisation.
enum MetadataCommands {
  static let loadMetadata = CommandSpec(
    name: "loadMetadata",
    usage: "loadMetadata [-R] [-F] <path>",
    description: "Loads metadata for the given GooseFS path from the under file system. Specify -R "
      + "to load recursively, -F to update existing metadata (force a sync).",
    options: [.flag("R"), .flag("F")],
    arguments: 1...1
  ) { arguments, context in
    // Silent on success, like Alluxio: Fluid only looks at the exit code.
    _ = try await context.fileSystem().loadMetadata(
      ShellPath.normalize(arguments.positionals[0]), recursive: arguments.has("R"), force: arguments.has("F"))
    return ExitCode.success
  }

  static let checkConsistency = CommandSpec(
    name: "checkConsistency",
    usage: "checkConsistency [-r] [-t <threads>] <GooseFS path>",
    description: "Checks the consistency of a persisted file or directory in GooseFS. Any files or "
      + "directories which only exist in GooseFS or do not match the metadata of files in the under "
      + "storage will be returned. Specify -r to repair the inconsistent files.",
    // -t (repair threads) is accepted for compatibility; the master repairs on its own threads.
    options: [.flag("r"), .value("t", "-t", "--threads")],
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    let repair = arguments.has("r")
    let report = try await context.fileSystem().checkConsistency(ShellPath.normalize(argument), repair: repair)
    let paths = report.inconsistentPaths.sorted()
    if paths.isEmpty {
      context.output.line("\(argument) is consistent with the under storage system.")
    } else if !repair {
      context.output.line("The following files are inconsistent:")
      for path in paths { context.output.line(path) }
    } else {
      context.output.line("\(argument) has: \(paths.count) inconsistent files.")
      for path in paths {
        context.output.line("repairing path: \(path)")
        context.output.line("\(path) repaired")
        context.output.line()
      }
    }
    return ExitCode.success
  }
}
