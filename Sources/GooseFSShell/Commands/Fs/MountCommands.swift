import GooseFSClient
import GooseFSCore

/// `mount` (list or add) and `unmount`.
enum MountCommands {
  static let mount = CommandSpec(
    name: "mount",
    usage: "mount [--readonly] [--shared] [--option <key=val>] <goosefsPath> <ufsURI>",
    description: "Mounts a UFS path onto a GooseFS path. Without arguments, lists the mount table.",
    options: [.flag("readonly", "--readonly"), .flag("shared", "--shared"), .value("option"), .flag("v", "-v", "--verbose")],
    arguments: 0...2
  ) { arguments, context in
    switch arguments.positionals.count {
    case 0:
      let table = try await context.fileSystem().mountTable()
      for line in MountLines.format(table) { context.output.line(line) }
      return ExitCode.success
    case 2:
      var properties: [String: String] = [:]
      for option in arguments.allValues("option") {
        guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
          throw ShellFailure.usage("Invalid mount option \(option), expected key=value")
        }
        properties[String(option[..<equals])] = String(option[option.index(after: equals)...])
      }
      let goosefsPath = arguments.positionals[0]
      let ufsURI = arguments.positionals[1]
      try await context.fileSystem().mount(
        ShellPath.normalize(goosefsPath), ufsURI: ufsURI,
        options: MountOptions(readOnly: arguments.has("readonly"), shared: arguments.has("shared"), properties: properties))
      context.output.line("Mounted \(ufsURI) at \(goosefsPath)")
      return ExitCode.success
    default:
      throw ShellFailure.usage("Command mount takes 0 or 2 arguments, not \(arguments.positionals.count)")
    }
  }

  static let unmount = CommandSpec(
    name: "unmount",
    usage: "unmount <goosefsPath>",
    description: "Unmounts a GooseFS path.",
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    try await context.fileSystem().unmount(ShellPath.normalize(argument))
    context.output.line("Unmounted \(argument)")
    return ExitCode.success
  }
}
