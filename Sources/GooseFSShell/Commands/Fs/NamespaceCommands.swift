import GooseFSClient
import GooseFSCore

/// `mkdir`, `touch`, `rm`, `mv`: namespace changes with Alluxio's confirmation messages.
enum NamespaceCommands {
  static let mkdir = CommandSpec(
    name: "mkdir",
    usage: "mkdir <path1> [path2] ... [pathn]",
    description: "Creates the specified directories, including any parent directories that are required.",
    arguments: 1...Int.max
  ) { arguments, context in
    let fileSystem = try await context.fileSystem()
    for argument in arguments.positionals {
      _ = try await fileSystem.createDirectory(
        ShellPath.normalize(argument), recursive: true, allowExists: false, mode: nil)
      context.output.line("Successfully created directory \(argument)")
    }
    return ExitCode.success
  }

  static let touch = CommandSpec(
    name: "touch",
    usage: "touch <path>",
    description: "Creates a 0 byte file. The file will be written to the under file system.",
    arguments: 1...1
  ) { arguments, context in
    let argument = arguments.positionals[0]
    let path = try ShellPath.normalize(argument)
    let fileSystem = try await context.fileSystem()
    _ = try await fileSystem.createFile(path, options: CreateFileOptions(recursive: true))
    _ = try await fileSystem.completeFile(path, length: 0)
    context.output.line("\(argument) has been created")
    return ExitCode.success
  }

  static let rm = CommandSpec(
    name: "rm",
    usage: "rm [-R] [-U] [--goosefsOnly] <path>",
    description: "Removes the specified file. Specify -R to remove file or directory recursively. "
      + "Specify -U to remove directories without checking UFS contents are in sync. Specify "
      + "--goosefsOnly to remove data and metadata from GooseFS space only.",
    // --alluxioOnly is Alluxio's spelling; scripts written for Alluxio keep working.
    options: [.flag("R"), .flag("U"), .flag("goosefsOnly", "--goosefsOnly", "--alluxioOnly")],
    arguments: 1...Int.max
  ) { arguments, context in
    let recursive = arguments.has("R")
    let goosefsOnly = arguments.has("goosefsOnly")
    let fileSystem = try await context.fileSystem()
    for argument in arguments.positionals {
      let path = try ShellPath.normalize(argument)
      // Missing paths fail here with the master's `Path "/x" does not exist.`
      let status = try await fileSystem.getStatus(path, syncIntervalMs: nil)
      if !recursive && status.isDirectory {
        throw ShellFailure.message("\(path) is a directory, to remove it, please use \"rm -R <path>\"")
      }
      // -U (skip the UFS sync check) has no counterpart in the protocol: the master's delete
      // does not check UFS contents, so the flag is accepted and has nothing left to change.
      try await fileSystem.remove(path, recursive: recursive, goosefsOnly: goosefsOnly)
      context.output.line(goosefsOnly ? "\(argument) has been removed from GooseFS space" : "\(argument) has been removed")
    }
    return ExitCode.success
  }

  static let mv = CommandSpec(
    name: "mv",
    usage: "mv <src> <dst>",
    description: "Renames a file or directory. If <dst> is an existing directory, <src> is moved into it.",
    arguments: 2...2
  ) { arguments, context in
    let source = try ShellPath.normalize(arguments.positionals[0])
    var destination = try ShellPath.normalize(arguments.positionals[1])
    let fileSystem = try await context.fileSystem()
    // Like Alluxio (and POSIX mv), moving onto an existing directory moves into it.
    do {
      let target = try await fileSystem.getStatus(destination, syncIntervalMs: nil)
      if target.isDirectory {
        destination = ShellPath.join(destination, ShellPath.basename(source))
      }
    } catch let error as GooseFSError where error.code == .notFound {
      // A new name: rename as given.
    }
    try await fileSystem.rename(source, to: destination)
    context.output.line("Renamed \(arguments.positionals[0]) to \(destination)")
    return ExitCode.success
  }
}
