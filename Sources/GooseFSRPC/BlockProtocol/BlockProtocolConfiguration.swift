import NIOCore

/// Tunables of block protocol connections, shared by the worker's server and the client.
/// Each is a bound on memory or time per connection (architecture note §4: every queue has a limit).
public struct BlockProtocolConfiguration: Sendable {
  /// Payload bytes per DATA frame (goosefs.user.network.data.transfer.chunk.size).
  public var chunkSize: Int = 1 << 20 {
    didSet {
      precondition(
        chunkSize > 0 && chunkSize <= BlockFrameHeader.maxPayloadLength, "chunk size \(chunkSize) is not a valid DATA payload size")
    }
  }
  /// NIO's outbound buffer: writers suspend above `high` and resume below `low`. A few frames deep
  /// so the socket always has the next frame ready without the buffer growing with a slow reader.
  public var writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 1 << 20, high: 4 << 20)
  /// Received frames (client: DATA pieces of at most one socket read) buffered ahead of the
  /// consumer; above `inboundHighWatermark` the socket is no longer read until the consumer is down
  /// to `inboundLowWatermark`.
  public var inboundHighWatermark = 8
  public var inboundLowWatermark = 2
  /// Client only: bytes of DATA a write session may have queued before `send` waits for the socket.
  public var writeWindow = 4 << 20
  /// Largest single socket read. Reading in big pieces saves syscalls; 256 KiB and 4 MiB measured
  /// no better than 1 MiB on loopback.
  public var maxReceiveBufferSize = 1 << 20
  /// How long a connection that is being closed waits for its last frames to reach the peer.
  public var closeLinger: TimeAmount = .seconds(10)

  public init() {}

  public init(chunkSize: Int) {
    self.chunkSize = chunkSize
    precondition(
      chunkSize > 0 && chunkSize <= BlockFrameHeader.maxPayloadLength, "chunk size \(chunkSize) is not a valid DATA payload size")
  }

  var receiveAllocator: AdaptiveRecvByteBufferAllocator {
    AdaptiveRecvByteBufferAllocator(
      minimum: min(64 << 10, maxReceiveBufferSize), initial: min(256 << 10, maxReceiveBufferSize),
      maximum: maxReceiveBufferSize)
  }
}
