import GooseFSClient
import GooseFSCore

/// `load [--local] <path>` (Alluxio LoadCommand): caches every file below the path, one file at
/// a time, printing `<file> loaded` or `<file> already in GooseFS fully`, then `<dir> loaded`
/// for a directory. Unlike Alluxio, which prints a failed block and still exits 0, a file that
/// could not be cached prints `Failed to load <file>: <reason>` and makes the exit code 255.
enum LoadCommand {
  static let spec = CommandSpec(
    name: "load",
    usage: "load [--local] <path>",
    description: "Loads a file or directory in GooseFS space, makes it resident in GooseFS. "
      + "Specify --local to cache the data on the worker of this host.",
    options: [.flag("local", "--local")],
    arguments: 1...1
  ) { arguments, context in
    let local = arguments.has("local")
    let path = try ShellPath.normalize(arguments.positionals[0])
    let fileSystem = try await context.fileSystem()
    let status = try await fileSystem.getStatus(path, syncIntervalMs: nil)
    var failures = 0
    for file in try await FileTree.files(under: status, in: fileSystem) {
      do {
        // The listing has no block locations; the file's own status has them.
        let info = file.path == status.path ? status : try await fileSystem.getStatus(file.path, syncIntervalMs: nil)
        // --local caches on this host even when another worker already has the data.
        if !local && info.inGooseFSPercentage == 100 {
          context.output.line("\(info.path) already in GooseFS fully")
          continue
        }
        try await fileSystem.cache(info, CacheRequest(replication: 1, localOnly: local)) { _ in }
        context.output.line("\(info.path) loaded")
      } catch {
        failures += 1
        context.output.line("Failed to load \(file.path): \(ShellErrorText.message(of: error))")
      }
    }
    if status.isDirectory && failures == 0 { context.output.line("\(path) loaded") }
    return failures == 0 ? ExitCode.success : ExitCode.failure
  }
}
