import GooseFSCore

/// A command family (`goosefs fs …`) with Alluxio AbstractShell behaviour: no arguments prints
/// usage and fails, an unknown command prints `<cmd> is an unknown command.` and the usage,
/// bad arguments print the reason and `Usage: …`, and a failing command prints its error
/// message on stdout. All failures exit 255 (Alluxio's -1).
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
    do {
      let parsed = try command.parse(Array(arguments.dropFirst()))
      return try await command.run(parsed, context)
    } catch let failure as ShellFailure {
      switch failure {
      case .usage(let message):
        output.line(message)
        output.line("Usage: \(command.usage)")
        output.line(command.description)
      case .message(let message):
        output.line(message)
      }
      return ExitCode.failure
    } catch let error as GooseFSError {
      // Carries Alluxio's wording, e.g. `Path "/x" does not exist.`
      output.line(error.message)
      return ExitCode.failure
    } catch {
      output.line(String(describing: error))
      return ExitCode.failure
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
