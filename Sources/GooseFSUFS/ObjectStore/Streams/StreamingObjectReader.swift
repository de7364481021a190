import Foundation
import GooseFSCore
import NIOCore

/// Serves sequential reads from one open-ended GET (`Range: bytes=<offset>-`) instead of a
/// request per read: for stores that serve one long response much faster than many ranges
/// (moto: 0.95 GB/s against 0.15 GB/s, see docs/object-stores.md).
///
/// The connection's bytes land in a bounded buffer; when it is full, the transport's `onBody`
/// is held back, which stops curl reading from the socket (backpressure), so memory stays at
/// `capacity` however slowly the caller reads. A connection that breaks or ends early is
/// reopened from the first byte not yet handed out, a bounded number of times per read.
actor StreamingObjectReader {
  private let client: ObjectStoreClient
  private let key: String
  private let etag: String?
  private let objectLength: Int64
  private let capacity: Int
  private let maxResumes = 3

  /// The next byte `read` hands out.
  private(set) var position: Int64

  // The current connection. `generation` tells its callbacks apart from a replaced one's.
  private var generation = 0
  private var producer: Task<Void, Never>?
  private var buffered: [ByteBuffer] = []
  private var bufferedBytes = 0
  private var connectionOpen = false
  private var connectionError: (any Error)?
  private var responseStatus: Int?
  private var errorBody = ByteBuffer()
  /// Bytes to drop at the start of a 200 answer from a server that ignored the Range header.
  private var skipRemaining: Int64 = 0
  private var closed = false

  private var consumerWaiter: CheckedContinuation<Void, Never>?
  private var producerWaiter: CheckedContinuation<Void, any Error>?

  init(client: ObjectStoreClient, key: String, etag: String?, objectLength: Int64, start: Int64, capacity: Int) {
    self.client = client
    self.key = key
    self.etag = etag
    self.objectLength = objectLength
    self.position = start
    self.capacity = max(capacity, 256 << 10)
  }

  /// Exactly `min(count, objectLength - position)` bytes from `position` on.
  func read(count: Int) async throws -> ByteBuffer {
    let wanted = Int(min(Int64(count), objectLength - position))
    var result = ByteBuffer()
    guard wanted > 0 else { return result }
    var resumes = 0
    while result.readableBytes < wanted {
      guard !closed else { throw GooseFSError(.failedPrecondition, "The input stream is closed.") }
      if !buffered.isEmpty {
        take(into: &result, upTo: wanted)
        resumes = 0
        continue
      }
      if producer == nil || !connectionOpen {
        // Nothing buffered and no live connection: start one, or resume after a failure.
        if producer != nil {
          if let error = connectionError, !Self.isRetryable(error) {
            throw ObjectStoreErrors.transport(error, operation: "GET", path: client.display(key), location: client.location)
          }
          resumes += 1
          guard resumes <= maxResumes else {
            throw connectionError.map {
              ObjectStoreErrors.transport($0, operation: "GET", path: client.display(key), location: client.location)
            } ?? GooseFSError(.unavailable, "Reading \"\(client.display(key))\" kept ending early at byte \(position).")
          }
          // Back off a little before reconnecting to a server that just dropped us.
          try await Task.sleep(for: .milliseconds(50 * resumes))
        }
        openConnection()
        continue
      }
      await withCheckedContinuation { consumerWaiter = $0 }
    }
    return result
  }

  func close() {
    closed = true
    dropConnection()
  }

  // MARK: - Consumer side

  private func take(into result: inout ByteBuffer, upTo wanted: Int) {
    // Zero copy when one received chunk holds the whole read: hand out a slice of it.
    if result.readableBytes == 0, let first = buffered.first, first.readableBytes >= wanted {
      var chunk = buffered.removeFirst()
      result = chunk.readSlice(length: wanted)!
      if chunk.readableBytes > 0 { buffered.insert(chunk, at: 0) }
      bufferedBytes -= wanted
      position += Int64(wanted)
    } else if result.capacity < wanted {
      result.reserveCapacity(wanted)
    }
    while result.readableBytes < wanted, !buffered.isEmpty {
      var chunk = buffered.removeFirst()
      let n = min(chunk.readableBytes, wanted - result.readableBytes)
      var slice = chunk.readSlice(length: n)!
      result.writeBuffer(&slice)
      if chunk.readableBytes > 0 { buffered.insert(chunk, at: 0) }
      bufferedBytes -= n
      position += Int64(n)
    }
    if bufferedBytes < capacity, let waiter = producerWaiter {
      producerWaiter = nil
      waiter.resume()
    }
  }

  // MARK: - Connection

  private func openConnection() {
    dropConnection()
    generation += 1
    connectionOpen = true
    connectionError = nil
    responseStatus = nil
    errorBody = ByteBuffer()
    skipRemaining = 0
    let myGeneration = generation
    let start = position
    let client = self.client
    let key = self.key
    let etag = self.etag
    let request: HTTPRequest
    var headers = [("Range", "bytes=\(start)-")]
    if let etag { headers.append(("If-Match", "\"\(etag)\"")) }
    var unsigned = client.builder.request("GET", key: key, headers: headers)
    do {
      try client.signer.sign(&unsigned, at: Date())
      request = unsigned
    } catch {
      connectionOpen = false
      connectionError = error
      producer = Task {}
      return
    }
    // Weak references: an input stream dropped without close() must not be kept alive (with
    // its buffer and connection) by its own producer task.
    let onHead: @Sendable (HTTPResponseHead) async throws -> Void = { [weak self] head in
      try await self?.received(head: head, start: start, generation: myGeneration)
    }
    let onBody: @Sendable (ByteBuffer) async throws -> Void = { [weak self] chunk in
      guard let self else { throw CancellationError() }
      try await self.received(chunk: chunk, generation: myGeneration)
    }
    let onEnd: @Sendable ((any Error)?) async -> Void = { [weak self] error in
      await self?.finished(error: error, generation: myGeneration)
    }
    let idleTimeout = client.location.tuning.socketTimeout
    producer = Task {
      do {
        try await client.transport.stream(request, idleTimeout: idleTimeout, onHead: onHead, onBody: onBody)
        await onEnd(nil)
      } catch {
        await onEnd(error)
      }
    }
  }

  /// Forgets the current connection; its callbacks fail from now on, which makes the transport
  /// abandon the transfer.
  private func dropConnection() {
    generation += 1
    producer?.cancel()
    producer = nil
    connectionOpen = false
    buffered.removeAll()
    bufferedBytes = 0
    producerWaiter?.resume(throwing: CancellationError())
    producerWaiter = nil
    consumerWaiter?.resume()
    consumerWaiter = nil
  }

  private func received(head: HTTPResponseHead, start: Int64, generation: Int) throws {
    guard generation == self.generation else { throw CancellationError() }
    responseStatus = head.status
    if head.status == 200 { skipRemaining = start }
  }

  private func received(chunk: ByteBuffer, generation: Int) async throws {
    guard generation == self.generation, !closed else { throw CancellationError() }
    guard let status = responseStatus, status == 200 || status == 206 else {
      var copy = chunk
      if errorBody.readableBytes < 64 << 10 { errorBody.writeBuffer(&copy) }
      return
    }
    var data = chunk
    if skipRemaining > 0 {
      let skip = Int(min(skipRemaining, Int64(data.readableBytes)))
      data.moveReaderIndex(forwardBy: skip)
      skipRemaining -= Int64(skip)
      if data.readableBytes == 0 { return }
    }
    bufferedBytes += data.readableBytes
    buffered.append(data)
    if let waiter = consumerWaiter {
      consumerWaiter = nil
      waiter.resume()
    }
    // Backpressure: hold the transport until the reader has drained below capacity.
    while bufferedBytes >= capacity, generation == self.generation, !closed {
      try await withCheckedThrowingContinuation { producerWaiter = $0 }
    }
    guard generation == self.generation, !closed else { throw CancellationError() }
  }

  private func finished(error: (any Error)?, generation: Int) {
    guard generation == self.generation else { return }
    connectionOpen = false
    if let status = responseStatus, status != 200, status != 206 {
      connectionError = client.failure(
        HTTPResponse(head: HTTPResponseHead(status: status, headers: []), body: errorBody), "GET",
        path: client.display(key))
    } else {
      connectionError = error
    }
    if let waiter = consumerWaiter {
      consumerWaiter = nil
      waiter.resume()
    }
  }

  /// Broken connections and server-side hiccups are worth a resume; anything else (403, 404, 412,
  /// a closed stream) is final.
  private static func isRetryable(_ error: any Error) -> Bool {
    if let error = error as? HTTPTransportError { return error.isRetryable }
    if let error = error as? GooseFSError { return error.code == .unavailable }
    return false
  }
}
