import Foundation
import Logging
import Synchronization

/// Appends log lines to one file. The CLI logs here so that its stdout carries only the command's
/// output (parsers such as Fluid's read it); servers log to a file and, if asked, to stderr.
public struct FileLogHandler: LogHandler {
  private final class Sink: Sendable {
    let handle: Mutex<FileHandle?>
    init(path: String) {
      let directory = (path as NSString).deletingLastPathComponent
      try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      if !FileManager.default.fileExists(atPath: path) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
      }
      let handle = FileHandle(forWritingAtPath: path)
      _ = try? handle?.seekToEnd()
      self.handle = Mutex(handle)
    }
    func write(_ line: String) {
      handle.withLock { $0?.write(Data(line.utf8)) }
    }
  }

  private let sink: Sink
  private let label: String
  public var logLevel: Logger.Level = .info
  public var metadata: Logger.Metadata = [:]

  public init(label: String, path: String) {
    self.label = label
    self.sink = Sink(path: path)
  }

  private init(label: String, sink: Sink) {
    self.label = label
    self.sink = sink
  }

  /// One sink for every logger of the process.
  public static func factory(path: String, level: Logger.Level) -> @Sendable (String) -> any LogHandler {
    let sink = Sink(path: path)
    return { label in
      var handler = FileLogHandler(label: label, sink: sink)
      handler.logLevel = level
      return handler
    }
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    let time = LogTimestamp.now()
    var merged = metadata
    event.metadata?.forEach { merged[$0.key] = $0.value }
    let extra = merged.isEmpty ? "" : " " + merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
    let error = event.error.map { " error=\($0)" } ?? ""
    sink.write("\(time) \(event.level.rawValue.uppercased()) \(label): \(event.message)\(extra)\(error)\n")
  }
}
