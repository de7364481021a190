import GooseFSCore

/// `getConf [--source] [--unit U] [key]` (Alluxio GetConf): the client-side resolved
/// configuration. With a key: its value (an empty line when the key is known but unset);
/// with `--source` the source instead; with `--unit` the value converted. Without a key:
/// every `key=value`, sorted. Secret values are always masked. Fluid runs
/// `getConf goosefs.underfs.version` and needs exit 0.
enum GetConfCommand {
  static let usage = "USAGE: GetConf [--unit <arg>] [--source] [key]\n\n"
    + "GetConf prints the configured value for the given key. If the key is invalid, the exit code "
    + "will be nonzero. If the key is valid but isn't set, an empty string is printed. If no key is "
    + "specified, all configuration is printed."

  static let options: [OptionSpec] = [
    .flag("source", "--source"), .value("unit"), .flag("master", "--master"),
  ]

  /// Exit codes follow Alluxio GetConf: 0, or 1 for any failure (its `main` uses System.exit(1)).
  static func run(_ arguments: [String], context: CommandContext) -> Int32 {
    let output = context.output
    let parsed: ParsedArguments
    do {
      parsed = try ArgumentParser.parse(arguments, options: options)
    } catch {
      if case .usage(let reason) = error { printHelp("Unable to parse input args: \(reason)", output) }
      return 1
    }
    let configuration = context.configuration

    switch parsed.positionals.count {
    case 0:
      for property in ConfigurationView.all(configuration) {
        var line = "\(property.name)=\(property.value)"
        if parsed.has("source") { line += " (\(property.source))" }
        output.line(line)
      }
      return 0
    case 1:
      let key = parsed.positionals[0]
      guard ConfigurationView.isKnown(key, in: configuration) else {
        printHelp("\(key) is not a valid configuration key", output)
        return 1
      }
      guard let value = configuration.value(named: key) else {
        output.line("")
        return 0
      }
      if parsed.has("source") {
        output.line(ConfigurationView.source(of: key, in: configuration))
      } else if let unitText = parsed.value("unit") {
        guard let converted = convert(value, unit: unitText.uppercased()) else {
          printHelp("\(unitText.uppercased()) is not a valid unit", output)
          return 1
        }
        output.line(String(converted))
      } else {
        output.line(Configuration.mask(name: key, value: value))
      }
      return 0
    default:
      printHelp("More arguments than expected. Args: [\(parsed.positionals.joined(separator: ", "))]", output)
      return 1
    }
  }

  private static func printHelp(_ message: String, _ output: ShellOutput) {
    output.errorLine(message)
    output.errorLine(usage)
  }

  private static let byteUnits: [String: Int64] = [
    "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40, "PB": 1 << 50,
  ]
  private static let timeUnits: [String: Int64] = [
    "MS": 1, "MILLISECOND": 1, "S": 1000, "SEC": 1000, "SECOND": 1000, "M": 60_000, "MIN": 60_000,
    "MINUTE": 60_000, "H": 3_600_000, "HR": 3_600_000, "HOUR": 3_600_000, "D": 86_400_000,
    "DAY": 86_400_000,
  ]

  /// A value in the given unit, integer division as in Alluxio; nil when the unit is unknown
  /// or the value is not a size/duration.
  static func convert(_ value: String, unit: String) -> Int64? {
    if let divisor = byteUnits[unit], let bytes = try? ByteSize.parse(value) {
      return bytes / divisor
    }
    if let divisor = timeUnits[unit], let milliseconds = try? TimeDuration.parseMilliseconds(value) {
      return milliseconds / divisor
    }
    return nil
  }
}
