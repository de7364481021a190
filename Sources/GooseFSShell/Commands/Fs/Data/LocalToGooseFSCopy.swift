import GooseFSClient
import GooseFSCore

/// `copyFromLocal` and `cp file://… <dst>`, with Alluxio CpCommand semantics: a file lands at
/// `dst`, or inside `dst` when that is a directory; a directory's contents are merged into
/// `dst` (created when missing), sub-directories included, files copied in parallel. An
/// existing destination file is never overwritten (the master refuses to create it).
struct LocalToGooseFSCopy {
  let fileSystem: any DataFileSystem
  let settings: CopySettings
  let output: ShellOutput

  func run(from source: String, to destination: String) async throws -> Int32 {
    let sourceDisplay = CopyLocation.local(source).display
    switch LocalFiles.kind(source) {
    case .missing:
      throw ShellFailure.message("Path \"\(sourceDisplay)\" does not exist.")
    case .file:
      var target = destination
      if let existing = try await fileSystem.statusIfPresent(destination), existing.isDirectory {
        target = ShellPath.join(destination, LocalFiles.name(source))
      }
      try await copyFile(source, to: target)
      output.line("Copied \(sourceDisplay) to \(target)")
      return ExitCode.success
    case .directory:
      return try await copyDirectory(source, to: destination, sourceDisplay: sourceDisplay)
    }
  }

  private func copyDirectory(_ source: String, to destination: String, sourceDisplay: String) async throws -> Int32 {
    if let existing = try await fileSystem.statusIfPresent(destination) {
      guard existing.isDirectory else { throw ShellFailure.message(Self.destinationIsFile) }
    } else {
      _ = try await fileSystem.createDirectory(destination, recursive: true, allowExists: true, mode: nil)
    }
    // Directories are created first, in order, so that empty ones are copied too and the
    // parallel file copies never race to create a parent.
    let plan = try Self.plan(source, destination)
    for directory in plan.directories {
      _ = try await fileSystem.createDirectory(directory, recursive: true, allowExists: true, mode: nil)
    }
    let tally = Tally()
    await BoundedConcurrency.forEach(plan.files, limit: settings.concurrency) { file in
      let from = CopyLocation.local(file.local).display
      do {
        try await copyFile(file.local, to: file.goosefs)
        tally.succeeded()
        output.line("Copied \(from) to \(file.goosefs)")
      } catch {
        tally.failed()
        output.line("Failed to copy \(from) to \(file.goosefs): \(ShellErrorText.message(of: error))")
      }
    }
    return CopySummary.finish(tally, total: plan.files.count, from: sourceDisplay, to: destination, output)
  }

  private func copyFile(_ local: String, to target: String) async throws {
    _ = try await StreamTransfer.withNewFile(target, in: fileSystem, writeType: settings.writeType) { stream in
      try await StreamTransfer.upload(localPath: local, to: stream, chunkSize: settings.chunkSize)
    }
  }

  struct Plan {
    var directories: [String] = []
    var files: [(local: String, goosefs: String)] = []
  }

  /// Walks the local tree below `source`, mapping each entry under `destination`.
  static func plan(_ source: String, _ destination: String) throws -> Plan {
    var plan = Plan()
    var pending = [(source, destination)]
    var next = 0
    while next < pending.count {
      let (localDirectory, goosefsDirectory) = pending[next]
      next += 1
      for name in try LocalFiles.children(of: localDirectory) {
        let local = LocalFiles.join(localDirectory, name)
        let target = ShellPath.join(goosefsDirectory, name)
        switch LocalFiles.kind(local) {
        case .directory:
          plan.directories.append(target)
          pending.append((local, target))
        case .file:
          plan.files.append((local, target))
        case .missing:
          continue  // a dangling symbolic link, or removed while we walk
        }
      }
    }
    return plan
  }

  /// Alluxio's DESTINATION_CANNOT_BE_FILE.
  static let destinationIsFile =
    "The destination cannot be an existing file when the source is a directory or a list of files."
}
