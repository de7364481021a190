import GooseFSCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open block file that DATA frames are sent from with sendfile.
///
/// NIO writes a FileRegion some time after the async writer accepted it, so whoever sends from a
/// file cannot know when closing it is safe. Frames therefore hold this object, and the encoder
/// keeps it until NIO has finished each write; the descriptor closes when the last reference goes.
/// Use one per connection: NIO's file handle allows one use at a time and would fail a second
/// event loop's sendfile with EBUSY.
public final class BlockSendFile: Sendable {
  public let handle: NIOFileHandle

  /// Takes ownership of `handle`; it is closed when this object is released.
  public init(handle: NIOFileHandle) {
    self.handle = handle
  }

  /// A duplicate of `descriptor` (an open block file, named `path` in errors): no second open.
  public convenience init(duplicating descriptor: Int32, path: String) throws {
    let duplicate = dup(descriptor)
    guard duplicate >= 0 else {
      throw GooseFSError(.resourceExhausted, "Cannot duplicate the descriptor of block file \(path): \(String(cString: strerror(errno)))")
    }
    self.init(handle: NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: duplicate))
  }

  /// Opens `path` read-only.
  public convenience init(path: String) throws {
    do {
      self.init(handle: try NIOFileHandle(_deprecatedPath: path))
    } catch let error as IOError where error.errnoCode == ENOENT {
      throw GooseFSError(.notFound, "Block file \(path) does not exist")
    } catch {
      throw GooseFSError(.ioError, "Cannot open block file \(path): \(error)")
    }
  }

  deinit {
    // Nothing can act on a failed close of a descriptor that was only read; the bytes were
    // already sent or their write already failed.
    _ = try? handle.close()
  }

  /// The bytes `fileOffset..<fileOffset+length` of the file, for one DATA frame.
  public func region(fileOffset: Int, length: Int) -> FileRegion {
    FileRegion(fileHandle: handle, readerIndex: fileOffset, endIndex: fileOffset + length)
  }
}
