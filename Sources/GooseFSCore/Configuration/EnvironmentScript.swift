/// The assignments in `conf/goosefs-env.sh`. The GooseFS launcher scripts `source` that file, and
/// Fluid's DataLoad job writes its `*_JAVA_OPTS` there (`export KEY="VALUE"`), so a process
/// started without the scripts has to read it itself. Only plain assignments are understood;
/// any other shell (conditionals, functions, commands) is skipped.
enum EnvironmentScript {
  /// Applies the file's assignments over `environment`, in order, as `source` would: a later
  /// line sees earlier assignments, and double-quoted or bare values expand `${VAR}`.
  static func apply(_ text: String, to environment: [String: String]) -> [String: String] {
    var result = environment
    for rawLine in text.split(whereSeparator: \.isNewline) {
      var line = Substring(PropertyValueParsing.trim(rawLine))
      if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop(while: \.isWhitespace) }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let name = String(line[..<equals])
      guard VariableReferences.isEnvironmentVariableName(name) else { continue }
      guard let value = unquote(line[line.index(after: equals)...], environment: result) else { continue }
      result[name] = value
    }
    return result
  }

  /// `'literal'`, `"expanded"` or a bare word (expanded, up to an unquoted `#` comment).
  private static func unquote(_ text: Substring, environment: [String: String]) -> String? {
    if text.hasPrefix("'") {
      guard text.count >= 2, text.hasSuffix("'") else { return nil }
      return String(text.dropFirst().dropLast())
    }
    if text.hasPrefix("\"") {
      guard let close = text.dropFirst().lastIndex(of: "\"") else { return nil }
      return VariableReferences.expandEnvironment(String(text[text.index(after: text.startIndex)..<close]), environment)
    }
    let word = text.prefix { !$0.isWhitespace && $0 != "#" }
    return VariableReferences.expandEnvironment(String(word), environment)
  }
}
