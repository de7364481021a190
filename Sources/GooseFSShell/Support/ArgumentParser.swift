/// One flag or option a command accepts. Alluxio uses Apache commons-cli, whose grammar we copy:
/// short flags (`-R`, bundled as `-Rf`), long options (`--sort size` or `--sort=size`),
/// single-dash words (`-live`), repeatable options (`--option k=v`), and options and
/// positional arguments in any order.
struct OptionSpec: Sendable {
  enum Kind: Sendable {
    case flag
    case value
  }

  /// Canonical name used to query `ParsedArguments`, e.g. "R", "sort", "option".
  let key: String
  /// Spellings on the command line, e.g. ["-R"], ["--sort"], ["-v", "--verbose"].
  let spellings: [String]
  let kind: Kind

  static func flag(_ key: String, _ spellings: String...) -> OptionSpec {
    OptionSpec(key: key, spellings: spellings.isEmpty ? ["-\(key)"] : spellings, kind: .flag)
  }

  static func value(_ key: String, _ spellings: String...) -> OptionSpec {
    OptionSpec(key: key, spellings: spellings.isEmpty ? ["--\(key)"] : spellings, kind: .value)
  }
}

struct ParsedArguments: Sendable, Equatable {
  var flags: Set<String> = []
  /// Every value given for an option, in order (repeatable options keep them all).
  var values: [String: [String]] = [:]
  var positionals: [String] = []

  func has(_ key: String) -> Bool { flags.contains(key) || values[key] != nil }
  /// The last value given (later occurrences override earlier ones, as in commons-cli).
  func value(_ key: String) -> String? { values[key]?.last }
  func allValues(_ key: String) -> [String] { values[key] ?? [] }
  /// The number of distinct options present (flags and valued options).
  var optionCount: Int { flags.count + values.count }
}

enum ArgumentParser {
  static func parse(_ arguments: [String], options: [OptionSpec]) throws(ShellFailure) -> ParsedArguments {
    var result = ParsedArguments()
    var index = 0
    var onlyPositionals = false

    func lookup(_ spelling: String) -> OptionSpec? {
      options.first { $0.spellings.contains(spelling) }
    }

    func takeValue(for spec: OptionSpec, inline: String?) throws(ShellFailure) {
      if let inline {
        result.values[spec.key, default: []].append(inline)
        return
      }
      index += 1
      guard index < arguments.count else {
        throw .usage("Missing argument for option: \(spec.spellings[0].drop { $0 == "-" })")
      }
      result.values[spec.key, default: []].append(arguments[index])
    }

    while index < arguments.count {
      let token = arguments[index]
      defer { index += 1 }

      if onlyPositionals || token == "-" || !token.hasPrefix("-") || isNegativeNumber(token) {
        result.positionals.append(token)
        continue
      }
      if token == "--" {
        onlyPositionals = true
        continue
      }

      // Long option, possibly with an inline value: --sort=size.
      if token.hasPrefix("--") {
        let (name, inline) = splitInline(token)
        guard let spec = lookup(name) else { throw .usage("Unrecognized option: \(name)") }
        switch spec.kind {
        case .flag:
          if inline != nil { throw .usage("Option \(name) takes no value") }
          result.flags.insert(spec.key)
        case .value:
          try takeValue(for: spec, inline: inline)
        }
        continue
      }

      // A whole single-dash word (-live, -workers) or a single short option (-R, -f FORMAT).
      if let spec = lookup(token) {
        switch spec.kind {
        case .flag: result.flags.insert(spec.key)
        case .value: try takeValue(for: spec, inline: nil)
        }
        continue
      }

      // Bundled short options: -Rf, or -fFORMAT for a valued one.
      let characters = Array(token.dropFirst())
      var position = 0
      while position < characters.count {
        let spelling = "-" + String(characters[position])
        guard let spec = lookup(spelling) else { throw .usage("Unrecognized option: \(token)") }
        if spec.kind == .flag {
          result.flags.insert(spec.key)
          position += 1
          continue
        }
        let rest = String(characters[(position + 1)...])
        try takeValue(for: spec, inline: rest.isEmpty ? nil : rest)
        break
      }
    }
    return result
  }

  private static func splitInline(_ token: String) -> (String, String?) {
    guard let equals = token.firstIndex(of: "=") else { return (token, nil) }
    return (String(token[..<equals]), String(token[token.index(after: equals)...]))
  }

  private static func isNegativeNumber(_ token: String) -> Bool {
    token.count > 1 && token.dropFirst().allSatisfy(\.isNumber)
  }
}
