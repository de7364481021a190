import GooseFSCore
import NIOCore
import SwiftProtobuf

/// The client side of WRITE_BLOCK or WRITE_UFS_FILE: `send` the bytes, then `finish` (END, then
/// the worker's ACK) or `abort`.
///
/// `send` splits buffers into DATA frames of at most `chunkSize` bytes as slices (no copy, for
/// bytes within the first 16 MiB of a buffer's storage: NIO copies slices that start past that) and
/// returns once they are queued; it waits only when more than `writeWindow` bytes are queued and
/// not yet on the wire, so a slow worker slows the writer. A worker may refuse a write early with
/// ERROR; the next `send` (or `finish`) throws that error.
///
/// Aborting closes the connection: the protocol has no "abandon this write" frame, and the worker
/// discards a write whose connection ends before END. A refused (early ERROR) write closes it too,
/// since DATA frames already in flight would reach the worker as the start of nothing.
///
/// Use from one task.
public final class BlockWriteSession {
  public let op: BlockOp
  public let blockID: Int64
  public private(set) var bytesSent: Int64 = 0

  private let connection: BlockDataConnection
  private var unconfirmed = CircularBuffer<(written: EventLoopFuture<Void>, bytes: Int)>()
  private var unconfirmedBytes = 0
  private var isOpen = true

  init(connection: BlockDataConnection, op: BlockOp, blockID: Int64) {
    self.connection = connection
    self.op = op
    self.blockID = blockID
  }

  public func send(_ buffer: ByteBuffer) async throws {
    try checkOpen()
    try checkForEarlyAnswer()
    guard buffer.readableBytes > 0 else { return }
    let chunkSize = connection.configuration.chunkSize
    var rest = buffer
    var frames: [BlockFrameOut] = []
    frames.reserveCapacity(rest.readableBytes / chunkSize + 1)
    while rest.readableBytes > 0 {
      let chunk = rest.readSlice(length: min(chunkSize, rest.readableBytes))!
      frames.append(.data(blockID: blockID, offset: bytesSent, buffer: chunk))
      bytesSent += Int64(chunk.readableBytes)
    }
    unconfirmed.append((connection.write(frames), buffer.readableBytes))
    unconfirmedBytes += buffer.readableBytes
    while unconfirmedBytes > connection.configuration.writeWindow, let oldest = unconfirmed.popFirst() {
      do {
        try await connection.awaitWritten(oldest.written)
      } catch {
        throw earlyAnswerError() ?? error
      }
      unconfirmedBytes -= oldest.bytes
    }
  }

  /// Sends END and returns the ACK's payload (empty for WRITE_BLOCK, a `WriteUfsFileResponse` for
  /// WRITE_UFS_FILE). `timeout` bounds the wait for the ACK (default: the connection's idle
  /// timeout); the worker's final work (persisting, uploading) happens in that wait.
  public func finish(timeout: TimeAmount? = nil) async throws -> ByteBuffer {
    try checkOpen()
    try checkForEarlyAnswer()
    isOpen = false
    _ = connection.write([.end(blockID: blockID, total: bytesSent)])
    // The answer implies every frame arrived; a failed write closes the connection and surfaces
    // in nextFrame.
    unconfirmed.removeAll()
    let answer = try await connection.nextFrame(timeout: timeout)
    switch answer.op {
    case .ack:
      connection.endExchange()
      return answer.payload
    case .error:
      connection.endExchange()
      throw answer.reportedError()
    default:
      throw connection.fail(GooseFSError.blockProtocol("worker \(connection.worker) answered \(op) with \(answer.op)"))
    }
  }

  /// `finish`, with the ACK's payload decoded as `Response`.
  public func finish<Response: SwiftProtobuf.Message>(as type: Response.Type, timeout: TimeAmount? = nil) async throws
    -> Response
  {
    try BlockMessageCoding.decode(type, from: try await finish(timeout: timeout), context: "ACK of \(op)")
  }

  /// Abandons the write; the connection is closed (see the type's documentation).
  public func abort() async {
    guard isOpen else { return }
    isOpen = false
    await connection.close()
  }

  private func checkOpen() throws {
    guard isOpen else {
      throw GooseFSError(.failedPrecondition, "The \(op) of block \(blockID) is already finished or aborted")
    }
  }

  /// Throws the worker's early ERROR (or the connection's end) if one has arrived.
  private func checkForEarlyAnswer() throws {
    if let error = earlyAnswerError() { throw error }
  }

  private func earlyAnswerError() -> GooseFSError? {
    let frame: BlockFrame?
    do {
      frame = try connection.inbound.poll()
    } catch {
      isOpen = false
      return connection.fail(error)
    }
    guard let frame else { return nil }
    isOpen = false
    if frame.op == .error {
      _ = connection.fail(frame.reportedError())
      return frame.reportedError()
    }
    return connection.fail(
      GooseFSError.blockProtocol("worker \(connection.worker) sent \(frame.op) before the \(op) was finished"))
  }
}
