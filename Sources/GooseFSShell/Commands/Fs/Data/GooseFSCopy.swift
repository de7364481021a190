import GooseFSClient
import GooseFSCore

/// `cp [-R] <src> <dst>` inside GooseFS, with Alluxio CpCommand semantics: a file lands at
/// `dst`, or inside `dst` when that is a directory; a directory needs `-R` and becomes `dst`
/// when `dst` is new, or `dst/<name>` when `dst` is an existing directory.
struct GooseFSCopy {
  let fileSystem: any DataFileSystem
  let settings: CopySettings
  let output: ShellOutput

  func run(from source: String, to destination: String, recursive: Bool) async throws -> Int32 {
    let status = try await fileSystem.getStatus(source, syncIntervalMs: nil)
    let existing = try await fileSystem.statusIfPresent(destination)
    guard status.isDirectory else {
      var target = destination
      if let existing, existing.isDirectory { target = ShellPath.join(destination, status.name) }
      try await copyFile(source, to: target)
      output.line("Copied \(source) to \(target)")
      return ExitCode.success
    }
    guard recursive else {
      throw ShellFailure.message("\(source) is a directory, to copy it please use \"cp -R <src> <dst>\"")
    }
    var root = destination
    if let existing {
      guard existing.isDirectory else { throw ShellFailure.message(LocalToGooseFSCopy.destinationIsFile) }
      root = ShellPath.join(destination, status.name)
    }
    guard !NamespacePath.isSelfOrDescendant(root, of: source) else {
      throw ShellFailure.message("Cannot copy \(source) into itself (\(root))")
    }
    // Listed before anything is created, so the copy never sees its own output.
    let entries = try await FileTree.entries(below: source, in: fileSystem)
    try await makeDirectory(root)
    let relativeStart = source == NamespacePath.root ? 1 : source.count + 1
    func target(of entry: FileInfo) -> String { ShellPath.join(root, String(entry.path.dropFirst(relativeStart))) }
    for directory in entries where directory.isDirectory {
      try await makeDirectory(target(of: directory))
    }
    let files = entries.filter { !$0.isDirectory }.map { ($0.path, target(of: $0)) }
    let tally = Tally()
    await BoundedConcurrency.forEach(files, limit: settings.concurrency) { file in
      let (from, to) = file
      do {
        try await copyFile(from, to: to)
        tally.succeeded()
        output.line("Copied \(from) to \(to)")
      } catch {
        tally.failed()
        output.line("Failed to copy \(from) to \(to): \(ShellErrorText.message(of: error))")
      }
    }
    return CopySummary.finish(tally, total: files.count, from: source, to: root, output)
  }

  private func makeDirectory(_ path: String) async throws {
    _ = try await fileSystem.createDirectory(path, recursive: true, allowExists: false, mode: nil)
    output.line("Created directory: \(path)")
  }

  private func copyFile(_ source: String, to target: String) async throws {
    _ = try await StreamTransfer.withOpenFile(source, in: fileSystem) { input in
      try await StreamTransfer.withNewFile(target, in: fileSystem, writeType: settings.writeType) { output in
        try await StreamTransfer.pipe(input, to: output, chunkSize: settings.chunkSize)
      }
    }
  }
}
