/// One subcommand of a sub-shell (`fs ls`, `fs mount`, ...). Commands are values in a table
/// rather than classes so that the registry, help text and dispatch stay in one place.
struct CommandSpec: Sendable {
  let name: String
  let usage: String
  let description: String
  let options: [OptionSpec]
  /// Allowed number of positional arguments; checked before `run`.
  let arguments: ClosedRange<Int>
  /// Where the command's failure text goes. Alluxio prints every failure on stdout and Fluid
  /// parses some of it (`fs ls` of a missing path), so that stays the rule; a command whose
  /// stdout is a file's bytes (`cat`, `copyToLocal <src> -`) sends it to stderr instead, so an
  /// error can never be mistaken for data. Called with `nil` when the arguments did not parse.
  let errorStream: @Sendable (ParsedArguments?) -> ShellOutput.Stream
  /// Returns the exit code (0 success, -1 failure as in Alluxio; `fs test` returns 1 for false).
  let run: @Sendable (ParsedArguments, CommandContext) async throws -> Int32

  init(
    name: String, usage: String, description: String, options: [OptionSpec] = [],
    arguments: ClosedRange<Int>,
    errorStream: @escaping @Sendable (ParsedArguments?) -> ShellOutput.Stream = { _ in .standardOutput },
    run: @escaping @Sendable (ParsedArguments, CommandContext) async throws -> Int32
  ) {
    self.name = name
    self.usage = usage
    self.description = description
    self.options = options
    self.arguments = arguments
    self.errorStream = errorStream
    self.run = run
  }

  /// Parses and validates arguments the way Alluxio's `parseAndValidateArgs` does.
  func parse(_ arguments: [String]) throws(ShellFailure) -> ParsedArguments {
    let parsed: ParsedArguments
    do {
      parsed = try ArgumentParser.parse(arguments, options: options)
    } catch {
      // Alluxio's Command.parseAndValidateArgs wording for commons-cli errors.
      guard case .usage(let reason) = error else { throw error }
      throw .usage("Failed to parse args for \(name): \(reason)")
    }
    let count = parsed.positionals.count
    if !self.arguments.contains(count) {
      throw .usage(Self.countMessage(name: name, expected: self.arguments, actual: count))
    }
    return parsed
  }

  // Alluxio's CommandUtils wording.
  private static func countMessage(name: String, expected: ClosedRange<Int>, actual: Int) -> String {
    if expected.lowerBound == expected.upperBound {
      let noun = expected.lowerBound == 1 ? "argument" : "arguments"
      return "Command \(name) takes \(expected.lowerBound) \(noun), not \(actual)"
    }
    if actual < expected.lowerBound {
      let noun = expected.lowerBound == 1 ? "argument" : "arguments"
      return "Command \(name) takes at least \(expected.lowerBound) \(noun), not \(actual)"
    }
    return "Command \(name) takes at most \(expected.upperBound) arguments, not \(actual)"
  }
}

/// Exit codes. Alluxio returns -1 from `main`, which the shell sees as 255.
enum ExitCode {
  static let success: Int32 = 0
  static let failure: Int32 = 255
}
