import Foundation
import GooseFSUFS
import NIOCore
import Testing

@Suite("CurlHTTPTransport", .serialized, .timeLimit(.minutes(2)))
struct CurlHTTPTransportTests {
  @Test func getPutHeadDeleteRoundTrip() async throws {
    let server = try FaultServerProcess.origin(bytes: 100_000)
    let transport = try CurlTestSupport.transport()

    let get = try await transport.execute(server.request("GET", "/bucket/key"), timeout: .seconds(10))
    #expect(get.status == 200)
    #expect(Array(get.body.readableBytesView) == FaultServerProcess.pattern(0..<100_000))

    let payload = ByteBuffer(bytes: (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    let put = try await transport.execute(server.request("PUT", "/bucket/key", body: payload), timeout: .seconds(10))
    #expect(put.status == 200)
    #expect(put.head.header("X-Body-Length") == "3000000")
    #expect(put.head.header("X-Body-SHA256") == Digest.hex(Digest.sha256(payload)))

    let emptyPut = try await transport.execute(server.request("PUT", "/bucket/empty"), timeout: .seconds(10))
    #expect(emptyPut.head.header("X-Body-Length") == "0")

    let head = try await transport.execute(server.request("HEAD", "/bucket/key"), timeout: .seconds(10))
    #expect(head.status == 200)
    #expect(head.head.header("Content-Length") == "100000")
    #expect(head.body.readableBytes == 0)

    let delete = try await transport.execute(server.request("DELETE", "/bucket/key"), timeout: .seconds(10))
    #expect(delete.status == 204)
  }

  @Test func headersAreSentExactlyAsGiven() async throws {
    let server = try FaultServerProcess.origin(bytes: 0)
    let transport = try CurlTestSupport.transport()
    let headers: [(name: String, value: String)] = [
      ("Host", "127.0.0.1:\(server.port)"), ("x-amz-date", "20240101T000000Z"),
      ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), ("Authorization", "AWS4-HMAC-SHA256 Credential=secret"),
      ("x-empty", ""),
    ]
    for method in ["GET", "PUT", "POST", "DELETE"] {
      let body: ByteBuffer? = method == "POST" ? ByteBuffer(string: String(repeating: "x", count: 5000)) : nil
      let response = try await transport.execute(server.request(method, "/echo", headers: headers, body: body), timeout: .seconds(10))
      let echo = try Echo(response)
      #expect(echo.method == method)
      var expected = headers.map { [$0.name, $0.value] } + [["User-Agent", CurlTransportConfiguration().userAgent]]
      if method == "PUT" || method == "POST" {
        expected.append(["Content-Length", String(body?.readableBytes ?? 0)])
      }
      // No Expect, Accept, Content-Type or Transfer-Encoding of libcurl's own.
      #expect(echo.headers.sorted { $0[0] < $1[0] } == expected.sorted { $0[0] < $1[0] }, "\(method)")
    }
  }

  @Test func queryAndPathArePercentEncodedOnce() async throws {
    let server = try FaultServerProcess.origin(bytes: 0)
    let transport = try CurlTestSupport.transport()
    let response = try await transport.execute(
      server.request("GET", "/echo", query: [("prefix", "a b/c"), ("list-type", "2"), ("uploads", "")]), timeout: .seconds(10))
    #expect(try Echo(response).path == "/echo?prefix=a%20b%2Fc&list-type=2&uploads=")
  }

  @Test func rangedGet() async throws {
    let server = try FaultServerProcess.origin(bytes: 1_000_000)
    let transport = try CurlTestSupport.transport()
    let response = try await transport.execute(
      server.request("GET", "/object", headers: [("Range", "bytes=70000-70999")]), timeout: .seconds(10))
    #expect(response.status == 206)
    #expect(response.head.header("Content-Range") == "bytes 70000-70999/1000000")
    #expect(Array(response.body.readableBytesView) == FaultServerProcess.pattern(70000..<71000))
  }

  @Test func sequentialRequestsReuseOneConnection() async throws {
    let server = try FaultServerProcess.origin(bytes: 10_000)
    let transport = try CurlTestSupport.transport()
    for _ in 0..<50 {
      let response = try await transport.execute(server.request("GET", "/object"), timeout: .seconds(10))
      #expect(response.body.readableBytes == 10_000)
    }
    let stats = try await server.stats(using: transport)
    #expect(stats.requests == 50)
    #expect(stats.connections == 1)
  }

  @Test func concurrentRequestsAllComplete() async throws {
    let server = try FaultServerProcess.origin(bytes: 200_000)
    let transport = try CurlTestSupport.transport { $0.maxConnectionsPerHost = 4 }
    try await withThrowingTaskGroup(of: Int.self) { group in
      for index in 0..<40 {
        group.addTask {
          let range = "bytes=\(index * 1000)-\(index * 1000 + 999)"
          let response = try await transport.execute(server.request("GET", "/o", headers: [("Range", range)]), timeout: .seconds(20))
          #expect(Array(response.body.readableBytesView) == FaultServerProcess.pattern(index * 1000..<index * 1000 + 1000))
          return response.status
        }
      }
      for try await status in group { #expect(status == 206) }
    }
    // The per-host limit holds: transfers beyond it waited for a connection instead of opening more.
    #expect(try await server.stats(using: transport).connections <= 4)
  }

  @Test func invalidHeaderIsRejectedBeforeSending() async throws {
    let server = try FaultServerProcess.origin(bytes: 0)
    let transport = try CurlTestSupport.transport()
    await #expect {
      try await transport.execute(server.request("GET", "/echo", headers: [("x-evil", "a\r\nInjected: 1")]), timeout: .seconds(5))
    } throws: { ($0 as? HTTPTransportError)?.kind == .invalidRequest }
    #expect(try await server.stats(using: transport).requests == 0)
  }

  @Test func cancellingExecuteEndsItPromptly() async throws {
    let server = try FaultServerProcess.origin(bytes: 10, plan: #"{"rules": [{"requests": [1], "fault": "delay", "ms": 30000}]}"#)
    let transport = try CurlTestSupport.transport()
    let started = ContinuousClock.now
    let task = Task { try await transport.execute(server.request("GET", "/slow"), timeout: .seconds(60)) }
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    // The server delays 30 s: anything well below that shows the cancel, even on a loaded runner.
    #expect(started.duration(to: .now) < .seconds(15))

    // And once the request is on the wire (the server has counted it and is delaying its answer).
    let second = try FaultServerProcess.origin(bytes: 10, plan: #"{"rules": [{"requests": [1], "fault": "delay", "ms": 30000}]}"#)
    let observer = try CurlTestSupport.transport()
    let inFlight = Task { try await transport.execute(second.request("GET", "/slow"), timeout: .seconds(60)) }
    while try await second.stats(using: observer).requests < 1 {  // /__stats itself is not counted
      try await Task.sleep(for: .milliseconds(20))
    }
    let cancelled = ContinuousClock.now
    inFlight.cancel()
    await #expect(throws: CancellationError.self) { try await inFlight.value }
    #expect(cancelled.duration(to: .now) < .seconds(15))
  }
}

/// What the origin's /echo reports about the request it received.
struct Echo {
  let method: String
  let path: String
  let headers: [[String]]

  init(_ response: HTTPResponse) throws {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    method = try #require(object["method"] as? String)
    path = try #require(object["path"] as? String)
    headers = try #require(object["headers"] as? [[String]])
  }
}
