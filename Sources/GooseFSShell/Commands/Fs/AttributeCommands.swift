import GooseFSClient
import GooseFSCore

/// `chmod`, `chown`, `chgrp`, `pin`, `unpin`, `setTtl`, `unsetTtl`: all are `setAttribute`.
enum AttributeCommands {
  static let chmod = CommandSpec(
    name: "chmod",
    usage: "chmod [-R] <mode> <path>",
    description: "Changes the permission of a file or directory specified by args. Specify -R to "
      + "change the permission recursively.",
    options: [.flag("R")],
    arguments: 2...2
  ) { arguments, context in
    let modeText = arguments.positionals[0]
    guard let mode = ModeText.parseOctal(modeText) else {
      throw ShellFailure.message("Invalid mode \(modeText)")
    }
    let argument = arguments.positionals[1]
    try await context.fileSystem().setAttribute(
      ShellPath.normalize(argument), SetAttributeOptions(recursive: arguments.has("R"), mode: mode))
    context.output.line("Changed permission of \(argument) to \(String(mode, radix: 8))")
    return ExitCode.success
  }

  static let chown = CommandSpec(
    name: "chown",
    usage: "chown [-R] <owner>[:<group>] <path>",
    description: "Changes the owner of a file or directory specified by args. Specify -R to change "
      + "the owner recursively.",
    options: [.flag("R")],
    arguments: 2...2
  ) { arguments, context in
    let spec = arguments.positionals[0]
    guard let (owner, group) = parseOwner(spec) else {
      context.output.line("Failed to parse \(spec) as user or user:group")
      return ExitCode.failure
    }
    let argument = arguments.positionals[1]
    try await context.fileSystem().setAttribute(
      ShellPath.normalize(argument),
      SetAttributeOptions(recursive: arguments.has("R"), owner: owner, group: group))
    if let group {
      context.output.line("Changed owner:group of \(argument) to \(owner):\(group).")
    } else {
      context.output.line("Changed owner of \(argument) to \(owner)")
    }
    return ExitCode.success
  }

  static let chgrp = CommandSpec(
    name: "chgrp",
    usage: "chgrp [-R] <group> <path>",
    description: "Changes the group of a file or directory specified by args. Specify -R to change "
      + "the group recursively.",
    options: [.flag("R")],
    arguments: 2...2
  ) { arguments, context in
    let group = arguments.positionals[0]
    let argument = arguments.positionals[1]
    try await context.fileSystem().setAttribute(
      ShellPath.normalize(argument), SetAttributeOptions(recursive: arguments.has("R"), group: group))
    context.output.line("Changed group of \(argument) to \(group)")
    return ExitCode.success
  }

  static let pin = CommandSpec(
    name: "pin",
    usage: "pin <path>",
    description: "Pins the given file or directory in memory (works recursively for directories). "
      + "Pinned files are never evicted.",
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    try await context.fileSystem().setAttribute(ShellPath.normalize(argument), SetAttributeOptions(pinned: true))
    context.output.line("File '\(argument)' was successfully pinned.")
    return ExitCode.success
  }

  static let unpin = CommandSpec(
    name: "unpin",
    usage: "unpin <path>",
    description: "Unpins the given file or folder from memory (works recursively for a directory).",
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    try await context.fileSystem().setAttribute(ShellPath.normalize(argument), SetAttributeOptions(pinned: false))
    context.output.line("File '\(argument)' was successfully unpinned.")
    return ExitCode.success
  }

  static let setTtl = CommandSpec(
    name: "setTtl",
    usage: "setTtl [--action delete|free] <path> <time to live>",
    description: "Sets a new TTL value for the file at path, performing an action, delete(default)/free "
      + "after TTL expiry. The TTL can be in one of the units: ms, millisecond, s, second, m, min, "
      + "minute, h, hour, d, day; default ms.",
    options: [.value("action")],
    arguments: 2...2
  ) { arguments, context in
    var action = TTLAction.delete
    if let text = arguments.value("action") {
      guard let parsed = TTLAction(userText: text) else {
        throw ShellFailure.usage("TTL action should be DELETE OR FREE, not \(text)")
      }
      action = parsed
    }
    let ttlText = stripQuotes(arguments.positionals[1])
    let ttl: Int64
    if let milliseconds = Int64(ttlText) {
      ttl = milliseconds
    } else {
      do {
        ttl = try TimeDuration.parseMilliseconds(ttlText)
      } catch {
        throw ShellFailure.message("Invalid time to live: \(ttlText)")
      }
    }
    let argument = arguments.positionals[0]
    try await context.fileSystem().setAttribute(
      ShellPath.normalize(argument), SetAttributeOptions(ttlMs: ttl, ttlAction: action))
    context.output.line(
      "TTL of path '\(argument)' was successfully set to \(ttl) milliseconds, with expiry action set to \(action.rawValue)")
    return ExitCode.success
  }

  static let unsetTtl = CommandSpec(
    name: "unsetTtl",
    usage: "unsetTtl <path>",
    description: "Unsets the TTL value for the given path.",
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    try await context.fileSystem().setAttribute(
      ShellPath.normalize(argument), SetAttributeOptions(ttlMs: -1, ttlAction: .delete))
    context.output.line("TTL of path '\(argument)' was successfully removed.")
    return ExitCode.success
  }

  /// `user` or `user:group` with POSIX-portable names (Alluxio's USER_GROUP_PATTERN).
  static func parseOwner(_ text: String) -> (owner: String, group: String?)? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 1 || parts.count == 2, parts.allSatisfy(isValidName) else { return nil }
    return (parts[0], parts.count == 2 ? parts[1] : nil)
  }

  private static func isValidName(_ name: String) -> Bool {
    guard let first = name.first, first.isLetter || first.isNumber || first == "_" else { return false }
    var body = Substring(name.dropFirst())
    if body.hasSuffix("$") { body = body.dropLast() }
    return body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
  }

  private static func stripQuotes(_ text: String) -> String {
    var result = Substring(text)
    while let first = result.first, first == "\"" || first == "'" { result = result.dropFirst() }
    while let last = result.last, last == "\"" || last == "'" { result = result.dropLast() }
    return String(result)
  }
}
