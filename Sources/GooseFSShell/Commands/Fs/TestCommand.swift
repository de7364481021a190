import GooseFSClient
import GooseFSCore

/// `fs test [-d|-e|-f|-s|-z] <path>`: no output; exit 0 when the property holds, 1 when it does
/// not (including a missing path), 255 when no or several properties are given.
enum TestCommand {
  static let spec = CommandSpec(
    name: "test",
    usage: "test [-d|-f|-e|-s|-z] <path>",
    description: "Test a property of a path, returning 0 if the property is true, or 1 otherwise.",
    options: [.flag("d"), .flag("e"), .flag("f"), .flag("s"), .flag("z")],
    arguments: 1...1,
    run: run
  )

  @Sendable
  static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> Int32 {
    guard arguments.optionCount == 1 else { return ExitCode.failure }
    let status: FileInfo
    do {
      let path = try ShellPath.normalize(arguments.positionals[0])
      status = try await context.fileSystem().getStatus(path, syncIntervalMs: nil)
    } catch {
      return 1
    }
    let holds: Bool
    if arguments.has("d") {
      holds = status.isDirectory
    } else if arguments.has("f") {
      holds = !status.isDirectory
    } else if arguments.has("e") {
      holds = true
    } else if arguments.has("s") {
      // Alluxio reads a folder's length, which is its child count.
      holds = status.isDirectory && max(status.childCount, status.length) > 0
    } else {
      holds = !status.isDirectory && status.length == 0
    }
    return holds ? 0 : 1
  }
}
