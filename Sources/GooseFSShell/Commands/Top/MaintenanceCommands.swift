import GooseFSCore

/// `format`, `formatJournal` and `version`.
enum MaintenanceCommands {
  /// `format [-s]`: formats the master journal. The worker storage is formatted by workers
  /// themselves when they start, so only the journal is wiped here.
  static func format(_ arguments: [String], context: CommandContext) -> Int32 {
    let output = context.output
    do {
      let parsed = try ArgumentParser.parse(arguments, options: [.flag("s")])
      guard parsed.positionals.isEmpty else { throw ShellFailure.usage("format takes no arguments") }
    } catch {
      output.line("Usage: goosefs format [-s]")
      return ExitCode.failure
    }
    let host = context.configuration.value(named: PropertyNames.masterHostname) ?? context.environment.hostName
    output.line("Formatting GooseFS Master @ \(host)")
    return formatJournalFolder(context)
  }

  /// `formatJournal`: wipes `goosefs.master.journal.folder`.
  static func formatJournal(_ arguments: [String], context: CommandContext) -> Int32 {
    guard arguments.isEmpty else {
      context.output.line("Usage: goosefs formatJournal")
      return ExitCode.failure
    }
    return formatJournalFolder(context)
  }

  private static func formatJournalFolder(_ context: CommandContext) -> Int32 {
    let folder = context.configuration.value(named: PropertyNames.journalFolder) ?? ""
    context.output.line("Formatting master journal: \(folder)")
    do {
      try context.environment.formatJournal(context.configuration)
    } catch let error as GooseFSError {
      context.output.line(error.message)
      return ExitCode.failure
    } catch {
      context.output.line(String(describing: error))
      return ExitCode.failure
    }
    return ExitCode.success
  }

  /// `version [-r [length]]`: prints the bare version (Alluxio 2.x `Version`), `-r` appends
  /// `-<revision>`, optionally cut to the given length.
  static func version(_ arguments: [String], context: CommandContext) -> Int32 {
    let output = context.output
    let usage = "usage: version [-r [<revision_length>]]"
    guard let first = arguments.first else {
      output.line(GooseFSVersion.current)
      return ExitCode.success
    }
    guard first == "-r" || first == "--revision", arguments.count <= 2 else {
      output.line(usage)
      return 1
    }
    var revision = context.environment.revision
    if arguments.count == 2 {
      guard let length = Int(arguments[1]), length >= 0 else {
        output.line("Couldn't parse <\(arguments[1])> as an integer")
        output.line(usage)
        return 1
      }
      revision = String(revision.prefix(length))
    }
    output.line("\(GooseFSVersion.current)-\(revision)")
    return ExitCode.success
  }
}
