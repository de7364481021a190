/// `${name}` references, shared by the two places they are expanded: environment variables in
/// `*_JAVA_OPTS` (what a shell would have done) and property references in values (what
/// Alluxio's configuration does). Text without a closing brace is left as written.
enum VariableReferences {
  /// Replaces every `${name}` by `replacement(name)`; a nil replacement keeps the reference.
  static func expand(_ text: String, replacement: (String) -> String?) -> String {
    guard text.contains("${") else { return text }
    var result = ""
    var rest = Substring(text)
    while let start = rest.range(of: "${") {
      guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
      result += rest[..<start.lowerBound]
      let name = String(rest[start.upperBound..<end])
      result += replacement(name) ?? String(rest[start.lowerBound...end])
      rest = rest[rest.index(after: end)...]
    }
    return result + rest
  }

  /// Shell variable names: letters, digits and underscores, not starting with a digit. Names
  /// with dots (`${goosefs.work.dir}`) are property references and are left for later.
  static func isEnvironmentVariableName(_ name: String) -> Bool {
    guard let first = name.first, !first.isWholeNumber else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isWholeNumber || $0 == "_") }
  }

  /// What a shell does with `${VAR}`: the variable's value, or empty when it is undefined.
  static func expandEnvironment(_ text: String, _ environment: [String: String]) -> String {
    expand(text) { name in
      isEnvironmentVariableName(name) ? environment[name] ?? "" : nil
    }
  }
}
