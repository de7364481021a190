import Foundation
import GooseFSClient
import GooseFSCore

/// `copyToLocal` and `cp <src> file://…`, with Alluxio CpCommand semantics: a file lands at
/// `dst`, or inside `dst` when that is a local directory; a directory's contents are merged into
/// `dst` (created when missing). Each file is written to a temporary name next to its target
/// and renamed when complete, so an interrupted copy never leaves a truncated file under the
/// real name.
struct GooseFSToLocalCopy {
  let fileSystem: any DataFileSystem
  let settings: CopySettings
  let output: ShellOutput

  func run(from source: String, to destination: String) async throws -> Int32 {
    let status = try await fileSystem.getStatus(source, syncIntervalMs: nil)
    let destinationDisplay = CopyLocation.local(destination).display
    guard status.isDirectory else {
      var target = destination
      if LocalFiles.kind(destination) == .directory { target = LocalFiles.join(destination, status.name) }
      try await copyFile(source, to: target)
      output.line("Copied \(source) to \(CopyLocation.local(target).display)")
      return ExitCode.success
    }
    switch LocalFiles.kind(destination) {
    case .file:
      throw ShellFailure.message(LocalToGooseFSCopy.destinationIsFile)
    case .missing:
      try LocalFiles.makeDirectories(destination)
      output.line("Create directory: \(destinationDisplay)")
    case .directory:
      break
    }
    let entries = try await FileTree.entries(below: source, in: fileSystem)
    let relativeStart = source == NamespacePath.root ? 1 : source.count + 1
    func localPath(of entry: FileInfo) -> String {
      LocalFiles.join(destination, String(entry.path.dropFirst(relativeStart)))
    }
    for directory in entries where directory.isDirectory {
      let path = localPath(of: directory)
      if LocalFiles.kind(path) == .missing {
        try LocalFiles.makeDirectories(path)
        output.line("Create directory: \(CopyLocation.local(path).display)")
      }
    }
    let files = entries.filter { !$0.isDirectory }.map { ($0.path, localPath(of: $0)) }
    let tally = Tally()
    await BoundedConcurrency.forEach(files, limit: settings.concurrency) { file in
      let (from, to) = file
      let target = CopyLocation.local(to).display
      do {
        try await copyFile(from, to: to)
        tally.succeeded()
        output.line("Copied \(from) to \(target)")
      } catch {
        tally.failed()
        output.line("Failed to copy \(from) to \(target): \(ShellErrorText.message(of: error))")
      }
    }
    return CopySummary.finish(tally, total: files.count, from: source, to: destinationDisplay, output)
  }

  private func copyFile(_ source: String, to target: String) async throws {
    let temporary = target + ".\(Self.randomSuffix())_copyToLocal_"
    do {
      _ = try await StreamTransfer.withOpenFile(source, in: fileSystem) { input in
        try await StreamTransfer.download(input, toLocalPath: temporary, chunkSize: settings.chunkSize)
      }
      try LocalFiles.moveReplacing(temporary, to: target)
    } catch {
      LocalFiles.removeIfPresent(temporary)
      throw error
    }
  }

  private static func randomSuffix() -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    return String((0..<8).map { _ in alphabet.randomElement()! })
  }
}
