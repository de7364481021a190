import GooseFSCore
import NIOCore
import SwiftProtobuf

/// One client connection, as the worker's handler sees it: frames in, frames out.
///
/// Inbound frames come from NIOAsyncChannel's stream, which stops reading the socket while the
/// handler isn't asking for frames. Outbound writes go through NIOAsyncChannel's writer, which
/// suspends the caller while the channel is not writable (more than the configured high
/// watermark queued), so a slow client slows the worker down instead of growing its buffers.
///
/// Used by the one task that runs the handler; not Sendable.
public final class BlockServerConnection {
  public let remoteAddress: SocketAddress?
  public let allocator: ByteBufferAllocator
  public let configuration: BlockProtocolConfiguration
  /// The request being served: set when `nextFrame` returns a request, cleared by the frame that
  /// ends its exchange (END, ACK or ERROR).
  public private(set) var currentRequest: BlockFrameHeader?

  let channel: any Channel
  private var inbound: NIOAsyncChannelInboundStream<BlockFrame>.AsyncIterator
  private let outbound: NIOAsyncChannelOutboundWriter<BlockFrameOut>
  private let cancelSignal: BlockCancelSignal
  private let connections: BlockServerConnections
  private let id: UInt64
  private var requestNumber: UInt64 = 0

  init(
    channel: any Channel, inbound: NIOAsyncChannelInboundStream<BlockFrame>,
    outbound: NIOAsyncChannelOutboundWriter<BlockFrameOut>, cancelSignal: BlockCancelSignal,
    connections: BlockServerConnections, id: UInt64, configuration: BlockProtocolConfiguration
  ) {
    self.channel = channel
    self.remoteAddress = channel.remoteAddress
    self.allocator = channel.allocator
    self.inbound = inbound.makeAsyncIterator()
    self.outbound = outbound
    self.cancelSignal = cancelSignal
    self.connections = connections
    self.id = id
    self.configuration = configuration
  }

  var peerDescription: String { remoteAddress.map { "\($0)" } ?? "a block client" }

  // MARK: Inbound

  /// The next frame from the client, or nil once the client has closed the connection (or the
  /// server is closing). CANCEL frames never show up here: see `isCancelRequested`.
  public func nextFrame() async throws -> BlockFrame? {
    guard let frame = try await inbound.next() else { return nil }
    if frame.op.isRequest {
      requestNumber += 1
      currentRequest = frame.header
      connections.markBusy(id)
    }
    return frame
  }

  /// Whether the client sent CANCEL for the current request. A READ handler checks this between
  /// DATA frames and, when set, stops and answers END (with the bytes sent so far) or ERROR.
  public var isCancelRequested: Bool {
    cancelSignal.isCancelled(request: requestNumber)
  }

  // MARK: Outbound

  /// Sends one frame; suspends while the connection has more than its high watermark queued.
  public func send(_ frame: BlockFrameOut) async throws {
    do {
      try await outbound.write(frame)
    } catch {
      throw closedError(error)
    }
    if frame.header.op == .end || frame.header.op == .ack || frame.header.op == .error {
      exchangeEnded()
    }
  }

  /// Sends frames in one batch (one event-loop hop, one flush).
  public func send(contentsOf frames: [BlockFrameOut]) async throws {
    guard !frames.isEmpty else { return }
    do {
      try await outbound.write(contentsOf: frames)
    } catch {
      throw closedError(error)
    }
    if frames.contains(where: { $0.header.op == .end || $0.header.op == .ack || $0.header.op == .error }) {
      exchangeEnded()
    }
  }

  /// Sends `buffer` as DATA frames of at most `configuration.chunkSize` bytes, the first at
  /// `offset` in the block. The frames are slices of `buffer`: nothing is copied, as long as the
  /// bytes lie within the first 16 MiB of the buffer's storage (NIO copies slices that start past
  /// that), so read block files into buffers of a few MiB rather than one per block.
  public func sendData(blockID: Int64, offset: Int64, buffer: ByteBuffer) async throws {
    var rest = buffer
    var position = offset
    var frames: [BlockFrameOut] = []
    frames.reserveCapacity(rest.readableBytes / configuration.chunkSize + 1)
    while rest.readableBytes > 0 {
      let chunk = rest.readSlice(length: min(configuration.chunkSize, rest.readableBytes))!
      frames.append(.data(blockID: blockID, offset: position, buffer: chunk))
      position += Int64(chunk.readableBytes)
    }
    try await send(contentsOf: frames)
  }

  /// Sends `length` bytes of `file` from `fileOffset` as DATA frames of at most
  /// `configuration.chunkSize`, the first at `offset` in the block, with sendfile. Sending a large
  /// range in several calls lets a READ handler notice CANCEL in between.
  public func sendFileRegion(blockID: Int64, offset: Int64, file: BlockSendFile, fileOffset: Int, length: Int)
    async throws
  {
    var frames: [BlockFrameOut] = []
    frames.reserveCapacity(length / configuration.chunkSize + 1)
    var done = 0
    while done < length {
      let chunk = min(configuration.chunkSize, length - done)
      frames.append(.data(blockID: blockID, offset: offset + Int64(done), file: file, fileOffset: fileOffset + done, length: chunk))
      done += chunk
    }
    try await send(contentsOf: frames)
  }

  /// Ends a READ: `total` is the number of bytes sent.
  public func sendEnd(blockID: Int64, total: Int64) async throws {
    try await send(.end(blockID: blockID, total: total))
  }

  /// Ends the current exchange with `error` (its code goes in the frame's status).
  public func sendError(_ error: GooseFSError) async throws {
    try await send(.error(blockID: currentRequest?.blockID ?? 0, error, allocator: allocator))
  }

  /// Answers the current request with ACK and an optional message.
  public func sendAck(payload: (any SwiftProtobuf.Message)?) async throws {
    try await send(.ack(blockID: currentRequest?.blockID ?? 0, message: payload, allocator: allocator))
  }

  // MARK: Lifecycle

  private func exchangeEnded() {
    currentRequest = nil
    if connections.markIdle(id) {
      channel.shutDownOutputThenClose(linger: configuration.closeLinger)
    }
  }

  private func closedError(_ error: any Error) -> GooseFSError {
    if let error = error as? GooseFSError { return error }
    return GooseFSError(.unavailable, "Connection to \(peerDescription) is closed: \(error)")
  }
}
