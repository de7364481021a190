import GooseFSCore
import NIOCore
import XCTest

@testable import GooseFSRPC

final class BlockFrameHeaderTests: XCTestCase {
  func testHeaderRoundTripsForEveryOp() throws {
    for op in BlockOp.allCases {
      let header = BlockFrameHeader(
        op: op, blockID: Int64.max - Int64(op.rawValue), offset: 0x0102_0304_0506_0708, length: -1,
        payloadLength: BlockFrameHeader.maxPayloadLength, status: 0xDEAD_BEEF, flags: 0x0A0B)
      var buffer = ByteBufferAllocator().buffer(capacity: 64)
      header.write(to: &buffer)
      XCTAssertEqual(buffer.readableBytes, BlockFrameHeader.size)
      let decoded = try XCTUnwrap(try BlockFrameHeader.read(from: &buffer))
      XCTAssertEqual(decoded, header)
      XCTAssertEqual(buffer.readableBytes, 0, "the header's 48 bytes are consumed")
    }
  }

  func testHeaderWireLayoutIsBigEndianAtDocumentedOffsets() {
    let header = BlockFrameHeader(
      op: .data, blockID: 0x1112_1314_1516_1718, offset: 0x2122_2324_2526_2728, length: 0x3132_3334_3536_3738,
      payloadLength: 0x0004_0506, status: 0x0102_0304)
    var buffer = ByteBufferAllocator().buffer(capacity: 48)
    header.write(to: &buffer)
    let bytes = Array(buffer.readableBytesView)
    XCTAssertEqual(Array(bytes[0..<4]), Array("GFSB".utf8))
    XCTAssertEqual(bytes[4], 1, "version")
    XCTAssertEqual(bytes[5], 16, "op DATA")
    XCTAssertEqual(Array(bytes[6..<8]), [0, 0], "flags")
    XCTAssertEqual(Array(bytes[8..<12]), [1, 2, 3, 4], "status")
    XCTAssertEqual(Array(bytes[12..<16]), [0, 4, 5, 6], "payload length")
    XCTAssertEqual(Array(bytes[16..<24]), [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18], "block id")
    XCTAssertEqual(Array(bytes[24..<32]), [0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28], "offset")
    XCTAssertEqual(Array(bytes[32..<40]), [0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38], "length")
    XCTAssertEqual(Array(bytes[40..<48]), [UInt8](repeating: 0, count: 8), "reserved")
  }

  func testIncompleteHeaderConsumesNothing() throws {
    var full = ByteBufferAllocator().buffer(capacity: 48)
    BlockFrameHeader(op: .end, blockID: 7, length: 99).write(to: &full)
    var partial = full.getSlice(at: 0, length: 47)!
    XCTAssertNil(try BlockFrameHeader.read(from: &partial))
    XCTAssertEqual(partial.readableBytes, 47)
  }

  func testErrorStatusRoundTripsEveryCodeWithDistinctNumbers() {
    var seen: [UInt32: GooseFSError.Code] = [:]
    for code in GooseFSError.Code.allCases {
      let status = BlockErrorStatus.status(for: code)
      XCTAssertNotEqual(status, BlockErrorStatus.ok, "\(code) must not look like success")
      XCTAssertNil(seen[status], "\(code) and \(seen[status].map { "\($0)" } ?? "") share status \(status)")
      seen[status] = code
      XCTAssertEqual(BlockErrorStatus.code(for: status), code)
    }
    XCTAssertNil(BlockErrorStatus.code(for: 0))
    XCTAssertNil(BlockErrorStatus.code(for: 99_999))
  }

  func testStatusNumbersAreStable() {
    // Wire values: a change here breaks workers and clients of other versions.
    XCTAssertEqual(BlockErrorStatus.status(for: .notFound), 5)
    XCTAssertEqual(BlockErrorStatus.status(for: .unavailable), 14)
    XCTAssertEqual(BlockErrorStatus.status(for: .resourceExhausted), 8)
    XCTAssertEqual(BlockErrorStatus.status(for: .ioError), 101)
  }

  func testErrorFrameCarriesCodeAndMessage() throws {
    let allocator = ByteBufferAllocator()
    for code in GooseFSError.Code.allCases {
      let sent = GooseFSError(code, "Block 42 is \(code)")
      let frame = BlockFrameOut.error(blockID: 42, sent, allocator: allocator)
      guard case .buffer(let payload) = frame.payload else { return XCTFail("ERROR carries its message") }
      let received = BlockFrame(header: frame.header, payload: payload).reportedError()
      XCTAssertEqual(received, sent)
    }
  }

  func testUnknownStatusBecomesInternalErrorNamingTheNumber() throws {
    var frame = BlockFrameOut.error(blockID: 1, GooseFSError(.notFound, "gone"), allocator: ByteBufferAllocator())
    guard case .buffer(let payload) = frame.payload else { return XCTFail("ERROR carries its message") }
    frame = BlockFrameOut(header: BlockFrameHeader(op: .error, blockID: 1, status: 4242), payload: .buffer(payload))
    let error = BlockFrame(header: frame.header, payload: payload).reportedError()
    XCTAssertEqual(error.code, .internalError)
    XCTAssertTrue(error.message.contains("gone") && error.message.contains("4242"), error.message)
  }
}
