/// Bytes `0..<length` of an open, readable descriptor: one piece of a file to create.
public struct UFSCopySource: Sendable {
  public let fd: Int32
  public let length: Int64

  public init(fd: Int32, length: Int64) {
    self.fd = fd
    self.length = length
  }
}

/// An under store that creates a whole file from local descriptors in one blocking call, with
/// no stream and no thread hop per step: the local folder. A worker persisting a small cached
/// file spent more CPU on the hops of `create` / `write` / `close` / `status` (one pool job
/// each) than on the copy (docs/performance.md, "The persist of a small file in one job").
public protocol UFSBlockingFileCopy: Sendable {
  /// Creates `path` (atomically: the file appears complete or not at all) with `mode` and the
  /// sources' bytes one after another, and returns its status. A source shorter than its
  /// `length` fails the call with `.corrupted` and leaves nothing behind.
  @available(*, noasync, message: "blocks on file I/O: call it on a blocking-work thread")
  func createFile(_ path: String, mode: UInt16, createParents: Bool, copying sources: [UFSCopySource]) throws -> UFSStatus
}
