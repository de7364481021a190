import GooseFSCore
import NIOCore
import NIOEmbedded
import XCTest

@testable import GooseFSRPC

final class BlockCodecTests: XCTestCase {
  private func decodingChannel() throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BlockFrameDecoder()))
    return channel
  }

  private func bytes(of frames: [BlockFrameOut]) throws -> ByteBuffer {
    let channel = EmbeddedChannel(handler: BlockFrameEncoder())
    for frame in frames { try channel.writeOutbound(frame) }
    var all = channel.allocator.buffer(capacity: 1024)
    while let data = try channel.readOutbound(as: IOData.self) {
      guard case .byteBuffer(var buffer) = data else { throw GooseFSError(.internalError, "unexpected file region") }
      all.writeBuffer(&buffer)
    }
    _ = try channel.finish()
    return all
  }

  func testDecodesFramesDeliveredOneByteAtATime() throws {
    let payload = BlockTestSupport.pattern(size: 100_003)
    let allocator = ByteBufferAllocator()
    var request = Goosefs_Block_ReadBlockRequest()
    request.readType = .noCache
    var wire = try bytes(of: [
      try .request(.read, blockID: 9, offset: 10, length: 20, message: request, allocator: allocator),
      .data(blockID: 9, offset: 10, buffer: payload),
      .end(blockID: 9, total: 100_003),
    ])
    let channel = try decodingChannel()
    while wire.readableBytes > 0 {
      try channel.writeInbound(wire.readSlice(length: min(7, wire.readableBytes))!)
    }
    let read = try XCTUnwrap(try channel.readInbound(as: BlockFrame.self))
    XCTAssertEqual(read.op, .read)
    XCTAssertEqual(read.header.offset, 10)
    XCTAssertEqual(read.header.length, 20)
    XCTAssertEqual(try read.message(as: Goosefs_Block_ReadBlockRequest.self), request)
    let data = try XCTUnwrap(try channel.readInbound(as: BlockFrame.self))
    XCTAssertEqual(data.op, .data)
    XCTAssertEqual(data.payload, payload)
    let end = try XCTUnwrap(try channel.readInbound(as: BlockFrame.self))
    XCTAssertEqual(end.op, .end)
    XCTAssertEqual(end.header.length, 100_003)
    XCTAssertNil(try channel.readInbound(as: BlockFrame.self))
    XCTAssertTrue(try channel.finish().isClean)
  }

  func testSplitModeDeliversDataPiecesWithTheirOwnOffsetsAndOtherOpsWhole() throws {
    let payload = BlockTestSupport.pattern(size: 10_000)
    var ack = Goosefs_Block_OpenLocalBlockResponse()
    ack.path = String(repeating: "p", count: 300)
    var wire = try bytes(of: [
      .data(blockID: 4, offset: 1000, buffer: payload),
      try .ack(blockID: 4, message: ack, allocator: ByteBufferAllocator()),
    ])
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BlockFrameDecoder(splitsDataPayloads: true)))
    // Reads of 3000 bytes: the payload arrives in pieces, the ACK straddles two reads.
    while wire.readableBytes > 0 {
      try channel.writeInbound(wire.readSlice(length: min(3000, wire.readableBytes))!)
    }
    var reassembled = ByteBufferAllocator().buffer(capacity: 10_000)
    var pieces = 0
    while let frame = try channel.readInbound(as: BlockFrame.self) {
      if frame.op == .ack {
        XCTAssertEqual(try frame.message(as: Goosefs_Block_OpenLocalBlockResponse.self), ack)
        break
      }
      XCTAssertEqual(frame.op, .data)
      XCTAssertEqual(frame.header.offset, 1000 + Int64(reassembled.readableBytes), "each piece says where it goes")
      XCTAssertEqual(frame.header.payloadLength, frame.payload.readableBytes)
      var piece = frame.payload
      reassembled.writeBuffer(&piece)
      pieces += 1
    }
    XCTAssertGreaterThan(pieces, 1)
    XCTAssertEqual(reassembled, payload)
    XCTAssertTrue(try channel.finish().isClean)
  }

  /// A valid END header whose bytes at `index` are replaced by `value`.
  private func corruptedHeader(at range: Range<Int>, with value: [UInt8]) -> ByteBuffer {
    var buffer = ByteBufferAllocator().buffer(capacity: 48)
    BlockFrameHeader(op: .end, blockID: 1).write(to: &buffer)
    buffer.setBytes(value, at: range.lowerBound)
    return buffer
  }

  private func assertRejected(_ bytes: ByteBuffer, mentioning text: String, line: UInt = #line) throws {
    let channel = try decodingChannel()
    XCTAssertThrowsError(try channel.writeInbound(bytes), line: line) { error in
      BlockTestSupport.assertGooseFSError(error, .invalidArgument, containing: text, line: line)
    }
    XCTAssertNil(try channel.readInbound(as: BlockFrame.self), "nothing is decoded from a bad header", line: line)
  }

  func testRejectsBadMagic() throws {
    try assertRejected(corruptedHeader(at: 0..<4, with: Array("HTTP".utf8)), mentioning: "magic")
  }

  func testRejectsUnknownVersion() throws {
    try assertRejected(corruptedHeader(at: 4..<5, with: [2]), mentioning: "version 2")
  }

  func testRejectsUnknownOp() throws {
    try assertRejected(corruptedHeader(at: 5..<6, with: [99]), mentioning: "op 99")
  }

  func testRejectsOversizedPayloadBeforeReadingIt() throws {
    // 8 MiB + 1, announced in the header; no payload bytes follow.
    try assertRejected(corruptedHeader(at: 12..<16, with: [0, 0x80, 0, 1]), mentioning: "8388609")
  }

  func testAcceptsPayloadOfExactlyTheLimit() throws {
    let payload = ByteBuffer(repeating: 0xAB, count: BlockFrameHeader.maxPayloadLength)
    let channel = try decodingChannel()
    try channel.writeInbound(try bytes(of: [.data(blockID: 1, offset: 0, buffer: payload)]))
    XCTAssertEqual(try channel.readInbound(as: BlockFrame.self)?.payload.readableBytes, BlockFrameHeader.maxPayloadLength)
  }

  /// A frame cut short by EOF is what a killed peer leaves: `.unavailable` (fail over), not a
  /// protocol violation (give up).
  func testConnectionClosedMidFrameIsReportedAsAPeerFailure() throws {
    let channel = try decodingChannel()
    var wire = try bytes(of: [.data(blockID: 1, offset: 0, buffer: ByteBuffer(repeating: 1, count: 1000))])
    try channel.writeInbound(wire.readSlice(length: 500)!)
    XCTAssertThrowsError(try channel.finish()) { error in
      BlockTestSupport.assertGooseFSError(error, .unavailable, containing: "DATA frame's payload")
    }
  }

  func testConnectionClosedMidHeaderIsReportedAsAPeerFailure() throws {
    let channel = try decodingChannel()
    var wire = try bytes(of: [.data(blockID: 1, offset: 0, buffer: ByteBuffer(repeating: 1, count: 1000))])
    try channel.writeInbound(wire.readSlice(length: 20)!)
    XCTAssertThrowsError(try channel.finish()) { error in
      BlockTestSupport.assertGooseFSError(error, .unavailable, containing: "frame header")
    }
  }

  func testEncoderWritesHeaderAndPayloadSeparatelyWithoutCopying() throws {
    let payload = BlockTestSupport.pattern(size: 4096)
    let channel = EmbeddedChannel(handler: BlockFrameEncoder())
    try channel.writeOutbound(BlockFrameOut.data(blockID: 5, offset: 8192, buffer: payload))
    guard case .byteBuffer(var header) = try channel.readOutbound(as: IOData.self),
      case .byteBuffer(let body) = try channel.readOutbound(as: IOData.self)
    else { return XCTFail("expected a header buffer then a payload buffer") }
    XCTAssertEqual(header.readableBytes, BlockFrameHeader.size)
    let decoded = try XCTUnwrap(try BlockFrameHeader.read(from: &header))
    XCTAssertEqual(decoded.payloadLength, 4096)
    XCTAssertEqual(decoded.offset, 8192)
    let original = payload.withUnsafeReadableBytes { $0.baseAddress }
    XCTAssertEqual(body.withUnsafeReadableBytes { $0.baseAddress }, original, "the payload's own storage is written")
    XCTAssertTrue(try channel.finish().isClean)
  }

  func testServerAnswersAViolationWithErrorThenCloses() throws {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandlers([
      ByteToMessageHandler(BlockFrameDecoder()), BlockFrameEncoder(), BlockViolationResponder(linger: .seconds(10)),
    ])
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    XCTAssertThrowsError(try channel.writeInbound(corruptedHeader(at: 0..<4, with: [0, 0, 0, 0])))
    var answer = ByteBufferAllocator().buffer(capacity: 128)
    while let data = try channel.readOutbound(as: IOData.self) {
      guard case .byteBuffer(var buffer) = data else { return XCTFail("unexpected file region") }
      answer.writeBuffer(&buffer)
    }
    let header = try XCTUnwrap(try BlockFrameHeader.read(from: &answer))
    XCTAssertEqual(header.op, .error)
    let error = BlockFrame(header: header, payload: answer).reportedError()
    XCTAssertEqual(error.code, .invalidArgument)
    XCTAssertTrue(error.message.contains("magic"), error.message)
    channel.embeddedEventLoop.run()
    XCTAssertFalse(channel.isActive, "the connection is closed after the ERROR frame")
  }
}
