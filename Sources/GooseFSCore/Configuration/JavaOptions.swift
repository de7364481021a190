/// `-Dkey=value` system properties, as they arrive in `GOOSEFS_*_JAVA_OPTS` and on the command
/// line. Everything else a JVM would accept (`-Xmx12G`, `-XX:+UseG1GC`) means nothing to us.
public enum JavaOptions {
  /// Parses one `*_JAVA_OPTS` value: split on whitespace (no quoting, exactly like the unquoted
  /// shell expansion in the launcher scripts), keep `-Dk=v` tokens in order, expand `${VAR}`
  /// from `environment`. Later duplicates are returned too; the caller lets the last one win.
  ///
  /// A value that expands to nothing is dropped: Fluid renders
  /// `-Dgoosefs.user.hostname=${GOOSEFS_CLIENT_HOSTNAME}` into containers where that variable
  /// is undefined, and the key must then behave as if it were never given.
  public static func parse(_ text: String, environment: [String: String]) -> [(String, String)] {
    parse(text, environment: environment, logging: true)
  }

  /// `logging: false` serves a look-ahead pass that must not repeat the messages of the real one.
  static func parse(_ text: String, environment: [String: String], logging: Bool) -> [(String, String)] {
    var properties: [(String, String)] = []
    for token in text.split(whereSeparator: \.isWhitespace) where token.hasPrefix("-D") {
      guard let (key, rawValue) = splitDefinition(token.dropFirst(2)) else {
        if logging { configurationLogger.info("Ignoring Java option without a value: \(token)") }
        continue
      }
      let value = VariableReferences.expandEnvironment(rawValue, environment)
      if value.isEmpty {
        if logging { configurationLogger.debug("Ignoring empty Java option value for \(key)") }
        continue
      }
      properties.append((key, value))
    }
    return properties
  }

  /// Removes `-Dk=v` tokens from anywhere in `arguments` (the CLI accepts them both before and
  /// after the subcommand) and returns them with the other arguments in their original order.
  /// After a lone `--`, nothing is taken, so a path that starts with `-D` can still be named.
  public static func extractSystemProperties(
    from arguments: [String]
  ) -> (properties: [(String, String)], remaining: [String]) {
    var properties: [(String, String)] = []
    var remaining: [String] = []
    var optionsEnded = false
    for argument in arguments {
      if !optionsEnded, argument == "--" {
        optionsEnded = true
      } else if !optionsEnded, argument.hasPrefix("-D"),
        let (key, value) = splitDefinition(argument.dropFirst(2))
      {
        properties.append((key, value))
        continue
      }
      remaining.append(argument)
    }
    return (properties, remaining)
  }

  /// `key=value` with the key non-empty; the value may itself contain `=`.
  private static func splitDefinition(_ definition: Substring) -> (String, String)? {
    guard let equals = definition.firstIndex(of: "="), equals != definition.startIndex else { return nil }
    return (String(definition[..<equals]), String(definition[definition.index(after: equals)...]))
  }
}
