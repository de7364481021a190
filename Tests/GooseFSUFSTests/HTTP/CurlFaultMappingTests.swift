import GooseFSUFS
import NIOCore
import Testing

/// Each kind of failure below HTTP ends as the right `HTTPTransportError` kind.
@Suite("CurlHTTPTransport fault mapping", .serialized, .timeLimit(.minutes(2)))
struct CurlFaultMappingTests {
  static let body = 1 << 20

  /// Runs one GET through a proxy in front of an origin, with `fault` on the first request.
  func failure(_ fault: String, timeout: Duration = .seconds(10)) async throws -> HTTPTransportError? {
    let origin = try FaultServerProcess.origin(bytes: Self.body)
    let proxy = try FaultServerProcess.proxy(to: origin, plan: #"{"rules": [{"requests": [1], \#(fault)}]}"#)
    let transport = try CurlTestSupport.transport()
    do {
      let response = try await transport.execute(proxy.request("GET", "/object"), timeout: timeout)
      Issue.record("expected a transport error, got HTTP \(response.status)")
      return nil
    } catch let error as HTTPTransportError {
      return error
    }
  }

  @Test func resetBeforeAnswerIsConnectionReset() async throws {
    #expect(try await failure(#""fault": "reset_before""#)?.kind == .connectionReset)
  }

  @Test func closeBeforeAnswerIsConnectionReset() async throws {
    #expect(try await failure(#""fault": "close_before""#)?.kind == .connectionReset)
  }

  @Test func resetMidBodyIsConnectionReset() async throws {
    #expect(try await failure(#""fault": "reset_mid""#)?.kind == .connectionReset)
  }

  @Test func truncatedBodyIsConnectionReset() async throws {
    let error = try await failure(#""fault": "truncate""#)
    #expect(error?.kind == .connectionReset)
    #expect(error?.isRetryable == true)
  }

  @Test func slowAnswerIsTimeout() async throws {
    #expect(try await failure(#""fault": "delay", "ms": 3000"#, timeout: .milliseconds(300))?.kind == .timeout)
  }

  @Test func nothingListeningIsConnectFailed() async throws {
    let port = try CurlTestSupport.closedPort()
    let transport = try CurlTestSupport.transport()
    await #expect {
      try await transport.execute(HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: port, path: "/"), timeout: .seconds(5))
    } throws: { ($0 as? HTTPTransportError)?.kind == .connectFailed }
  }

  @Test func tlsToAPlainServerIsTLSFailure() async throws {
    let server = try FaultServerProcess.origin(bytes: 10)
    let transport = try CurlTestSupport.transport()
    await #expect {
      try await transport.execute(HTTPRequest(method: "GET", scheme: "https", host: "127.0.0.1", port: server.port, path: "/"), timeout: .seconds(5))
    } throws: { error in
      guard let error = error as? HTTPTransportError else { return false }
      return error.kind == .tlsFailure && !error.isRetryable
    }
  }

  @Test func injectedStatusesAreResponsesNotErrors() async throws {
    let origin = try FaultServerProcess.origin(bytes: 10)
    let proxy = try FaultServerProcess.proxy(to: origin, plan: #"""
      {"rules": [{"requests": [1], "fault": "status", "status": 500}, {"requests": [2], "fault": "slowdown"},
                 {"requests": [3], "fault": "status", "status": 429}]}
      """#)
    let transport = try CurlTestSupport.transport()
    var statuses: [Int] = []
    for _ in 0..<4 {
      statuses.append(try await transport.execute(proxy.request("GET", "/o"), timeout: .seconds(5)).status)
    }
    #expect(statuses == [500, 503, 429, 200])
  }

  @Test func errorMessagesNeverContainHeaderValuesOrQuery() async throws {
    let port = try CurlTestSupport.closedPort()
    let transport = try CurlTestSupport.transport()
    let request = HTTPRequest(
      method: "GET", scheme: "http", host: "127.0.0.1", port: port, path: "/bucket/key",
      query: [("X-Amz-Signature", "query-secret")], headers: [("Authorization", "header-secret")])
    do {
      _ = try await transport.execute(request, timeout: .seconds(5))
      Issue.record("expected a failure")
    } catch let error as HTTPTransportError {
      #expect(error.message.contains("GET http://127.0.0.1:\(port)/bucket/key"))
      #expect(!error.message.contains("secret"))
    }
  }
}
