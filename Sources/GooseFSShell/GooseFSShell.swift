import GooseFSCore

/// The `goosefs` command line. The executable does:
///
///     let (properties, arguments) = GooseFSShell.splitSystemProperties(Array(CommandLine.arguments.dropFirst()))
///     let configuration = try Configuration.load(component: .client, commandLineProperties: properties, environment: env)
///     exit(await GooseFSShell.run(arguments: arguments, environment: ShellEnvironment(...)))
public enum GooseFSShell {
  /// Splits `-Dk=v` tokens (accepted anywhere on the line) from the other arguments.
  public static func splitSystemProperties(_ arguments: [String]) -> (properties: [(String, String)], remaining: [String]) {
    SystemProperties.split(arguments)
  }

  /// Runs one invocation; `arguments` excludes the program name. Returns the exit code.
  /// Any `-Dk=v` tokens still present are ignored here: they must already be part of
  /// `environment.configuration`.
  public static func run(arguments: [String], environment: ShellEnvironment) async -> Int32 {
    let arguments = SystemProperties.split(arguments).remaining
    let context = CommandContext(environment: environment)
    guard let command = arguments.first else {
      printUsage(environment.output)
      return 1
    }
    let rest = Array(arguments.dropFirst())
    switch command {
    case "fs":
      return await FileSystemShell.shell.run(rest, context: context)
    case "fsadmin":
      return await AdminShell.shell.run(rest, context: context)
    case "getConf":
      return GetConfCommand.run(rest, context: context)
    case "format":
      return MaintenanceCommands.format(rest, context: context)
    case "formatJournal", "formatMaster", "formatMasters":
      return MaintenanceCommands.formatJournal(rest, context: context)
    case "version":
      return MaintenanceCommands.version(rest, context: context)
    case "help", "-h", "--help", "-help":
      printUsage(environment.output)
      return ExitCode.success
    default:
      environment.output.line("\(command) is an unknown command.")
      environment.output.line()
      printUsage(environment.output)
      return ExitCode.failure
    }
  }

  static func printUsage(_ output: ShellOutput) {
    output.line("Usage: goosefs COMMAND [GENERIC_COMMAND_OPTIONS] [COMMAND_ARGS]")
    output.line()
    output.line("COMMAND is one of:")
    let commands: [(String, String)] = [
      ("format [-s]", "Format GooseFS master (the journal)"),
      ("formatJournal", "Format the GooseFS master journal"),
      ("fs", "Command line tool for interacting with the GooseFS filesystem."),
      ("fsadmin", "Command line tool for use by GooseFS filesystem admins."),
      ("getConf [key]", "Look up a configuration key, or print all configuration."),
      ("version", "Print GooseFS version and exit."),
    ]
    for (name, description) in commands {
      output.line(Columns.left(name, 20) + "\t" + description)
    }
    output.line()
    output.line("GENERIC_COMMAND_OPTIONS: -Dkey=value sets a configuration property for this command.")
  }
}
