import GooseFSCore

/// A command family (`goosefs fs …`) with Alluxio AbstractShell behaviour: no arguments prints
/// usage and fails, an unknown command prints `<cmd> is an unknown command.` and the usage,
/// bad arguments print the reason and `Usage: …`, and a failing command prints its error
/// message on stdout — or on stderr for a command whose stdout is data (`CommandSpec.errorStream`).
/// All failures exit 255 (Alluxio's -1).
struct SubShell: Sendable {
  let name: String
  let commands: [CommandSpec]

  func command(named name: String) -> CommandSpec? {
    commands.first { $0.name == name }
  }

  func run(_ arguments: [String], context: CommandContext) async -> Int32 {
    let output = context.output
    guard let commandName = arguments.first else {
      printUsage(output)
      return ExitCode.failure
    }
    if commandName == "help" || commandName == "-h" || commandName == "--help" {
      return help(Array(arguments.dropFirst()), output: output)
    }
    guard let command = command(named: commandName) else {
      output.line("\(commandName) is an unknown command.")
      output.line()
      printUsage(output)
      return ExitCode.failure
    }
    var parsed: ParsedArguments?
    do {
      let arguments = try command.parse(Array(arguments.dropFirst()))
      parsed = arguments
      return try await command.run(arguments, context)
    } catch {
      let stream = command.errorStream(parsed)
      for line in Self.failureLines(error, command: command) {
        output.write(line + "\n", to: stream)
      }
      return ExitCode.failure
    }
  }

  private static func failureLines(_ error: any Error, command: CommandSpec) -> [String] {
    switch error {
    case ShellFailure.usage(let message):
      [message, "Usage: \(command.usage)", command.description]
    default:
      // A GooseFSError carries Alluxio's wording, e.g. `Path "/x" does not exist.`
      [ShellErrorText.message(of: error)]
    }
  }

  func printUsage(_ output: ShellOutput) {
    output.line("Usage: goosefs \(name) [generic options]")
    for command in commands.sorted(by: { $0.name < $1.name }) {
      output.line(Columns.left("       [\(command.usage)]", 60))
    }
  }

  /// `help` alone prints the command list (exit 0); `help <cmd>` prints one command's usage.
  private func help(_ arguments: [String], output: ShellOutput) -> Int32 {
    guard let target = arguments.first else {
      printUsage(output)
      return ExitCode.success
    }
    guard let command = command(named: target) else {
      output.line("\(target) is an unknown command.")
      return ExitCode.failure
    }
    output.line(command.usage)
    output.line("\t" + command.description)
    return ExitCode.success
  }
}
