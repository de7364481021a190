import GooseFSClient
import GooseFSCore

/// `free [-f] <path>`: drops cached blocks below the path, keeping metadata and under-store
/// data. Never drops the only copy of data: the client refuses files that are not persisted,
/// and pinned files unless `-f`. Success prints Alluxio's
/// `<path> was successfully freed from GooseFS space.`; otherwise each refused file is listed
/// with its reason, then `<path> was not fully freed from GooseFS space.`, and the exit code is
/// 1 (a deliberate refusal, distinct from the 255 of an error).
enum FreeCommand {
  static let spec = CommandSpec(
    name: "free",
    usage: "free [-f] <path>",
    description: "Frees the space occupied by a file or a directory in GooseFS. Specify -f to force "
      + "freeing pinned files in the directory. Files that are not persisted are never freed.",
    options: [.flag("f")],
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    let path = try ShellPath.normalize(argument)
    let result = try await context.fileSystem().free(path, recursive: true, forced: arguments.has("f"))
    if result.notPersistedPaths.isEmpty && result.pinnedPaths.isEmpty {
      context.output.line("\(argument) was successfully freed from GooseFS space.")
      return ExitCode.success
    }
    for refused in result.notPersistedPaths.sorted() {
      context.output.line("\(refused) was not freed: it is not persisted, and GooseFS holds its only copy")
    }
    for refused in result.pinnedPaths.sorted() {
      context.output.line("\(refused) was not freed: it is pinned (use -f to free pinned files)")
    }
    context.output.line("\(argument) was not fully freed from GooseFS space.")
    return refusedExitCode
  }

  /// Some files were kept on purpose.
  static let refusedExitCode: Int32 = 1
}
