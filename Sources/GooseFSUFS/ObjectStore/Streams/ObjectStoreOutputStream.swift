import GooseFSCore
import NIOCore

/// Writes one object. Bytes are buffered up to one part: a file that ends within the first part
/// is sent with a single PUT on close; a longer one becomes a multipart upload whose parts are
/// sent while writing continues, at most `uploadParallelism` at once, so memory stays within
/// (uploadParallelism + 1) × partSize. Nothing is visible under the key until close succeeds,
/// and a failed or aborted upload is aborted on the server so no parts are left billed.
actor ObjectStoreOutputStream: UFSOutputStream {
  private enum State {
    case open
    case closed
    case aborted
    case failed
  }

  private let client: ObjectStoreClient
  private let key: String
  private let partSize: Int
  private let parallelism: Int

  private var state = State.open
  private var pending = ByteBuffer()
  private var uploadID: String?
  private var nextPartNumber = 1
  private var inFlight: [(number: Int, task: Task<String, any Error>)] = []
  private var completedParts: [(number: Int, etag: String)] = []

  init(client: ObjectStoreClient, key: String) {
    self.client = client
    self.key = key
    self.partSize = Int(client.location.tuning.partSize)
    self.parallelism = max(client.location.tuning.uploadParallelism, 1)
  }

  func write(_ buffer: ByteBuffer) async throws {
    try requireOpen()
    var input = buffer
    while input.readableBytes > 0 {
      var slice = input.readSlice(length: min(partSize - pending.readableBytes, input.readableBytes))!
      pending.writeBuffer(&slice)
      if pending.readableBytes == partSize {
        try await guarded { try await self.sendPendingPart() }
      }
    }
  }

  func close() async throws {
    try requireOpen()
    try await guarded {
      if let uploadID = self.uploadID {
        if self.pending.readableBytes > 0 { try await self.sendPendingPart() }
        while !self.inFlight.isEmpty { try await self.awaitOldestPart() }
        try await self.client.completeMultipartUpload(self.key, uploadID: uploadID, parts: self.completedParts)
        self.uploadID = nil
      } else {
        try await self.client.put(self.key, body: self.pending)
      }
    }
    state = .closed
    pending = ByteBuffer()
  }

  func abort() async {
    guard state == .open || state == .failed else { return }
    state = .aborted
    pending = ByteBuffer()
    await cancelUpload()
  }

  // MARK: - Parts

  private func sendPendingPart() async throws {
    if uploadID == nil {
      uploadID = try await client.createMultipartUpload(key)
    }
    guard let uploadID else { return }
    let body = pending
    pending = ByteBuffer()
    let number = nextPartNumber
    nextPartNumber += 1
    while inFlight.count >= parallelism { try await awaitOldestPart() }
    let client = self.client
    let key = self.key
    inFlight.append((number, Task { try await client.uploadPart(key, uploadID: uploadID, number: number, body: body) }))
  }

  private func awaitOldestPart() async throws {
    let (number, task) = inFlight.removeFirst()
    completedParts.append((number, try await task.value))
  }

  /// Runs `body`; on failure marks the stream failed and aborts the multipart upload, so that a
  /// failed write or close leaves nothing behind.
  private func guarded(_ body: () async throws -> Void) async throws {
    do {
      try await body()
    } catch {
      state = .failed
      pending = ByteBuffer()
      await cancelUpload()
      throw error
    }
  }

  private func cancelUpload() async {
    for part in inFlight { part.task.cancel() }
    inFlight.removeAll()
    completedParts.removeAll()
    if let uploadID {
      self.uploadID = nil
      do {
        try await client.abortMultipartUpload(key, uploadID: uploadID)
      } catch {
        client.logger.warning(
          "could not abort a multipart upload; its parts stay until the bucket's lifecycle rule removes them",
          metadata: ["path": "\(client.display(key))", "error": "\(error)"])
      }
    }
  }

  private func requireOpen() throws {
    switch state {
    case .open: return
    case .closed: throw GooseFSError(.failedPrecondition, "\"\(client.display(key))\" is already closed.")
    case .aborted: throw GooseFSError(.failedPrecondition, "\"\(client.display(key))\" was aborted.")
    case .failed: throw GooseFSError(.failedPrecondition, "An earlier write to \"\(client.display(key))\" failed.")
    }
  }
}
