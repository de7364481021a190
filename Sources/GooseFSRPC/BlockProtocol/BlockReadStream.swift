import GooseFSCore
import NIOCore

/// The bytes of one READ, in order, as they arrive: each chunk is a slice of a socket read, never
/// copied, at most one DATA frame's payload (a frame may come in several chunks). Iteration ends
/// at END and throws the worker's error at ERROR.
///
/// Checked as it goes: every piece of DATA must continue exactly where the previous one ended (a gap
/// or an overlap is a protocol violation), no more than the requested length may arrive, and END
/// must report exactly the bytes received. END may come early: when the block is shorter than
/// `offset + length`, the END total is authoritative.
///
/// Backpressure: chunks are read from the socket only as fast as they are consumed (a few frames
/// ahead, `BlockProtocolConfiguration.inboundHighWatermark`).
///
/// To stop early, call `cancel()`: it sends CANCEL and drains the frames still in flight up to the
/// worker's END/ERROR, so the connection can be reused. Abandoning the stream without that (or
/// cancelling the task that reads it) leaves the connection unusable and a pool closes it.
///
/// Iterate once, from one task.
public final class BlockReadStream: AsyncSequence {
  public typealias Element = ByteBuffer

  public let blockID: Int64
  public let offset: Int64
  public let requestedLength: Int64
  public private(set) var bytesReceived: Int64 = 0
  /// True once END or ERROR arrived (or the read failed or was cancelled).
  public private(set) var isFinished = false

  private let connection: BlockDataConnection

  init(connection: BlockDataConnection, blockID: Int64, offset: Int64, length: Int64) {
    self.connection = connection
    self.blockID = blockID
    self.offset = offset
    self.requestedLength = length
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    let stream: BlockReadStream

    public mutating func next() async throws -> ByteBuffer? {
      try await stream.nextChunk()
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(stream: self)
  }

  /// The next chunk, or nil after END.
  public func nextChunk() async throws -> ByteBuffer? {
    while !isFinished {
      let frame: BlockFrame
      do {
        frame = try await connection.nextFrame()
      } catch {
        isFinished = true
        throw error
      }
      switch frame.op {
      case .data:
        let header = frame.header
        let expected = offset + bytesReceived
        let size = Int64(frame.payload.readableBytes)
        guard header.blockID == blockID else {
          throw violation("DATA for block \(header.blockID) while reading block \(blockID)")
        }
        guard header.offset == expected else {
          let kind = header.offset > expected ? "a gap" : "an overlap"
          throw violation("DATA at offset \(header.offset) of block \(blockID), expected \(expected) (\(kind))")
        }
        guard bytesReceived + size <= requestedLength else {
          throw violation("more than the \(requestedLength) bytes requested of block \(blockID)")
        }
        if size == 0 { continue }
        bytesReceived += size
        return frame.payload
      case .end:
        guard frame.header.length == bytesReceived else {
          throw violation("END of block \(blockID) reports \(frame.header.length) bytes but \(bytesReceived) arrived")
        }
        isFinished = true
        connection.endExchange()
        return nil
      case .error:
        isFinished = true
        connection.endExchange()
        throw frame.reportedError()
      default:
        throw violation("unexpected \(frame.op) frame in the answer to a READ")
      }
    }
    return nil
  }

  /// Stops the read early and keeps the connection usable: sends CANCEL, then discards frames up
  /// to the worker's END or ERROR. If that fails the connection is closed instead (and a pool
  /// drops it); there is nothing else for the caller to do, so this doesn't throw.
  public func cancel() async {
    guard !isFinished else { return }
    isFinished = true
    do {
      try await connection.send(.cancel(blockID: blockID))
      while true {
        let frame = try await connection.nextFrame()
        switch frame.op {
        case .data:
          continue
        case .end, .error:
          connection.endExchange()
          return
        default:
          _ = connection.fail(GooseFSError.blockProtocol("unexpected \(frame.op) frame while draining a cancelled READ"))
          return
        }
      }
    } catch {
      // send/nextFrame already closed the connection (see BlockDataConnection.fail), which is
      // this method's documented fallback; the reason is of no use to a caller that gave up.
    }
  }

  private func violation(_ detail: String) -> GooseFSError {
    isFinished = true
    return connection.fail(GooseFSError.blockProtocol("worker \(connection.worker): \(detail)"))
  }
}
