import GooseFSClient
import GooseFSCore

/// `location <path>`: Alluxio's first line `<path> with file id <id> is on nodes: `, then —
/// where Alluxio prints bare host names, one per cached copy — one line per block naming its
/// id and the hosts of its copies, so that a block can be looked up with its id:
/// `Block 16777216: 10.0.0.1, 10.0.0.2` or `Block 16777217: not cached`.
enum LocationCommand {
  static let spec = CommandSpec(
    name: "location",
    usage: "location <path>",
    description: "Displays the list of hosts storing each block of the specified file.",
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    let status = try await context.fileSystem().getStatus(ShellPath.normalize(argument), syncIntervalMs: nil)
    context.output.line("\(argument) with file id \(status.fileID) is on nodes: ")
    for block in status.fileBlockInfos {
      let hosts = block.locations.map(\.address.host)
      context.output.line("Block \(block.blockID): " + (hosts.isEmpty ? "not cached" : hosts.joined(separator: ", ")))
    }
    return ExitCode.success
  }
}
