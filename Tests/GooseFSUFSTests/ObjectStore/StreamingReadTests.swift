import GooseFSCore
import GooseFSUFS
import NIOCore
import Synchronization
import Testing

/// The streaming read strategy without a server: a transport that serves one object by ranges
/// and cuts its first streamed response short, as a dropped connection would.
@Suite("Streaming reads")
struct StreamingReadTests {
  final class FlakyObjectTransport: HTTPTransport {
    let object: [UInt8]
    let cutFirstStreamAfter: Int
    let streamRanges = Mutex<[String]>([])

    init(object: [UInt8], cutFirstStreamAfter: Int) {
      self.object = object
      self.cutFirstStreamAfter = cutFirstStreamAfter
    }

    func execute(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
      if request.method == "HEAD" {
        return RecordingTransport.response(200, headers: [("Content-Length", "\(object.count)"), ("ETag", "\"v1\"")])
      }
      let (start, end) = range(request)
      return HTTPResponse(head: HTTPResponseHead(status: 206, headers: []), body: ByteBuffer(bytes: object[start...end]))
    }

    func stream(
      _ request: HTTPRequest, idleTimeout: Duration, onHead: @escaping @Sendable (HTTPResponseHead) async throws -> Void,
      onBody: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
      let isFirst = streamRanges.withLock { ranges in
        ranges.append(request.header("Range") ?? "")
        return ranges.count == 1
      }
      let (start, end) = range(request)
      try await onHead(HTTPResponseHead(status: 206, headers: []))
      let stop = isFirst ? min(end + 1, start + cutFirstStreamAfter) : end + 1
      var offset = start
      while offset < stop {
        let n = min(64 << 10, stop - offset)
        try await onBody(ByteBuffer(bytes: object[offset..<(offset + n)]))
        offset += n
      }
      if isFirst { throw HTTPTransportError(.connectionReset, "connection reset by peer") }
    }

    /// `bytes=a-b` or `bytes=a-` as inclusive offsets.
    private func range(_ request: HTTPRequest) -> (Int, Int) {
      let spec = (request.header("Range") ?? "bytes=0-").dropFirst("bytes=".count).split(separator: "-", omittingEmptySubsequences: false)
      let start = Int(spec[0])!
      let end = spec.count > 1 && !spec[1].isEmpty ? Int(spec[1])! : object.count - 1
      return (start, min(end, object.count - 1))
    }
  }

  @Test func brokenStreamResumesFromTheLastDeliveredByte() async throws {
    let size = 5 << 20
    let object = ObjectStoreTestSupport.pattern(offset: 0, count: size)
    let transport = FlakyObjectTransport(object: object, cutFirstStreamAfter: (1 << 20) + 12_345)
    let location = try ObjectStoreLocation.resolve(
      uri: UFSURI("s3://b/"),
      options: ["s3a.accessKeyId": "id", "s3a.secretKey": "secret", "goosefs.underfs.object.read.strategy": "streaming",
        "goosefs.underfs.object.read.part.size": "256KB"],
      environment: [:])
    let ufs = ObjectStoreUnderFileSystem(location: location, transport: transport)
    let stream = try await ufs.openRead("s3://b/object")
    #expect(try await ObjectStoreTestSupport.readAndCheckPattern(stream, size: size, chunk: 300_000))
    // A read at offset 0 opens the stream at once; once cut, it reopens exactly where the
    // delivered bytes end.
    let ranges = transport.streamRanges.withLock { $0 }
    #expect(ranges == ["bytes=0-", "bytes=\((1 << 20) + 12_345)-"])
    await stream.close()
  }

  @Test func readsElsewhereUseRangedGETsUntilTheyTurnSequential() async throws {
    let size = 3 << 20
    let transport = FlakyObjectTransport(object: ObjectStoreTestSupport.pattern(offset: 0, count: size), cutFirstStreamAfter: size)
    let location = try ObjectStoreLocation.resolve(
      uri: UFSURI("s3://b/"), options: ["s3a.accessKeyId": "id", "s3a.secretKey": "secret"], environment: [:])
    let ufs = ObjectStoreUnderFileSystem(location: location, transport: transport)
    let stream = try await ufs.openRead("s3://b/object")
    _ = try await stream.read(offset: 1000, length: 10)
    _ = try await stream.read(offset: 50, length: 10)
    #expect(transport.streamRanges.withLock { $0 }.isEmpty)
    _ = try await stream.read(offset: 60, length: 10)
    #expect(transport.streamRanges.withLock { $0 } == ["bytes=60-"])
    await stream.close()
  }
}
