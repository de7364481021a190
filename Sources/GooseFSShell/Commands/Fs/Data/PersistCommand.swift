import GooseFSClient
import GooseFSCore

/// `persist <path>...` (Alluxio PersistCommand): writes every not-yet-persisted file below the
/// paths to the under store and waits for it. Prints `persisted file <p> with size <n>` or
/// `<p> is already persisted` per file; errors are printed after the others ran, exit 255.
enum PersistCommand {
  static let spec = CommandSpec(
    name: "persist",
    usage: "persist <goosefsPath1> [goosefsPath2] ... [goosefsPathn]",
    description: "Persists files or directories currently stored only in GooseFS to the UnderFileSystem.",
    arguments: 1...Int.max
  ) { arguments, context in
    let fileSystem = try await context.fileSystem()
    var errors: [String] = []
    for argument in arguments.positionals {
      do {
        let status = try await fileSystem.getStatus(ShellPath.normalize(argument), syncIntervalMs: nil)
        for file in try await FileTree.files(under: status, in: fileSystem) {
          do {
            if file.isPersisted {
              context.output.line("\(file.path) is already persisted")
              continue
            }
            try await fileSystem.persist(file.path)
            context.output.line("persisted file \(file.path) with size \(file.length)")
          } catch {
            errors.append(ShellErrorText.message(of: error))
          }
        }
      } catch {
        errors.append(ShellErrorText.message(of: error))
      }
    }
    for error in errors { context.output.line(error) }
    return errors.isEmpty ? ExitCode.success : ExitCode.failure
  }
}
