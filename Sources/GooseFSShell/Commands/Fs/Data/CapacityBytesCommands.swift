import GooseFSClient
import GooseFSCore

/// `getCapacityBytes` / `getUsedBytes` (Alluxio wording `Capacity Bytes: N`, `Used Bytes: N`):
/// the cluster's cache, summed over the master's storage tiers like `fsadmin report`.
enum CapacityBytesCommands {
  static let getCapacityBytes = CommandSpec(
    name: "getCapacityBytes",
    usage: "getCapacityBytes",
    description: "Gets the capacity of the GooseFS file system.",
    arguments: 0...0
  ) { _, context in
    let tiers = try await context.fileSystem().masterInfo().tiers
    context.output.line("Capacity Bytes: \(tiers.reduce(Int64(0)) { $0 + $1.capacityBytes })")
    return ExitCode.success
  }

  static let getUsedBytes = CommandSpec(
    name: "getUsedBytes",
    usage: "getUsedBytes",
    description: "Gets number of bytes used in the GooseFS file system.",
    arguments: 0...0
  ) { _, context in
    let tiers = try await context.fileSystem().masterInfo().tiers
    context.output.line("Used Bytes: \(tiers.reduce(Int64(0)) { $0 + $1.usedBytes })")
    return ExitCode.success
  }
}
