import Foundation
import GooseFSClient
import GooseFSCore

/// `fsadmin report [summary|capacity|metrics]`. Fluid runs `report` (exit code = readiness),
/// `report summary` (capacities), `report metrics` (hit ratios, file count) and, in older
/// versions, `report capacity`. Exit 0 only when the master answered. `summary` comes from
/// the master's info alone (one call, as Fluid polls it); `capacity` from the worker list.
enum ReportCommand {
  static let spec = CommandSpec(
    name: "report",
    usage: "report [category] [category args]",
    description: "Report GooseFS running cluster information.\n"
      + "Where [category] is an optional argument. If no arguments are passed in, summary "
      + "information will be printed out.\n"
      + "[category] can be one of the following:\n"
      + "    capacity         worker capacity information\n"
      + "    metrics          metrics information\n"
      + "    summary          cluster summary\n"
      + "capacity [category args] can be one of: -live (live workers), -lost (lost workers), "
      + "-workers <names> (specified workers, comma separated)",
    options: [.flag("live", "-live"), .flag("lost", "-lost"), .value("workers", "-workers")],
    arguments: 0...1
  ) { arguments, context in
    let category = arguments.positionals.first ?? "summary"
    switch category {
    case "summary":
      let info = try await context.fileSystem().masterInfo()
      for line in SummaryLines.format(info, datePattern: context.datePattern, timeZone: context.timeZone) {
        context.output.line(line)
      }
    case "capacity":
      let ranges = ["live", "lost", "workers"].filter(arguments.has)
      guard ranges.count <= 1 else { throw ShellFailure.usage("Too many arguments passed in.") }
      let range: CapacityLines.WorkerRange =
        switch ranges.first {
        case "live": .live
        case "lost": .lost
        case "workers": .specified
        default: .all
        }
      let names = (arguments.value("workers") ?? "").split(separator: ",").map {
        String($0).trimmingCharacters(in: .whitespaces)
      }
      let workers = CapacityLines.select(try await context.fileSystem().workers(), range: range, names: names)
      if range == .specified && workers.isEmpty {
        throw ShellFailure.message("Worker IP addresses are invalid.")
      }
      for line in CapacityLines.format(workers, range: range) { context.output.line(line) }
    case "metrics":
      let metrics = try await context.fileSystem().metrics()
      for line in MetricLines.format(metrics) { context.output.line(line) }
    default:
      throw ShellFailure.usage("report category is invalid: \(category)")
    }
    return ExitCode.success
  }
}

/// `goosefs fsadmin`.
enum AdminShell {
  static let shell = SubShell(name: "fsadmin", commands: [ReportCommand.spec])
}
