import GooseFSCore
import NIOCore

/// Operations on many keys at once: recursive listing, batch delete, parallel copy, and copies
/// of objects beyond the single-request copy limit.
enum ObjectStoreTree {
  /// The largest object one CopyObject request may copy (S3 and COS both: 5 GiB).
  static let singleCopyLimit: Int64 = 5 << 30
  /// Part size for multipart copies: server-side, so large parts cost no memory here.
  static let copyPartSize: Int64 = 1 << 30
  /// DeleteObjects takes at most 1000 keys.
  static let deleteBatchSize = 1000

  /// Every key under `prefix`, recursively, in listing order.
  static func allKeys(_ client: ObjectStoreClient, under prefix: String) async throws -> [String] {
    var keys: [String] = []
    // Listing completes before anything is deleted or copied: continuation tokens are opaque,
    // and some servers would skip keys if the listed range changed under them.
    try await client.forEachPage(prefix: prefix, delimiter: nil) { page in
      keys.append(contentsOf: page.objects.map(\.key))
    }
    return keys
  }

  /// Deletes `keys` in batches, several batches at once; `marker` (a directory's own marker
  /// object) goes last, so a directory interrupted half-way still shows up and can be deleted again.
  static func delete(_ client: ObjectStoreClient, keys: [String], marker: String?) async throws {
    let children = keys.filter { $0 != marker }
    let batches = stride(from: 0, to: children.count, by: deleteBatchSize).map {
      Array(children[$0..<min($0 + deleteBatchSize, children.count)])
    }
    try await forEach(batches, parallelism: 4) { batch in try await client.deleteBatch(batch) }
    if let marker, keys.contains(marker) {
      try await client.delete(marker)
    }
  }

  /// Copies every key from under `sourcePrefix` to the same relative key under
  /// `destinationPrefix`, `serviceParallelism` copies at once.
  static func copyAll(_ client: ObjectStoreClient, keys: [String], from sourcePrefix: String, to destinationPrefix: String) async throws {
    try await forEach(keys, parallelism: client.location.tuning.serviceParallelism) { key in
      let destination = destinationPrefix + key.dropFirst(sourcePrefix.count)
      let length: Int64
      if key.hasSuffix("/") {
        length = 0
      } else {
        // Only objects beyond the single-copy limit need their size; a HEAD for those alone
        // would need the size first, so every copy of a directory asks.
        length = try await client.head(key)?.length ?? 0
      }
      try await copyObject(client, from: key, to: destination, length: length)
    }
  }

  /// CopyObject, or for objects over `singleLimit` a multipart copy in `partSize` ranges.
  static func copyObject(
    _ client: ObjectStoreClient, from source: String, to destination: String, length: Int64,
    singleLimit: Int64 = singleCopyLimit, partSize: Int64 = copyPartSize
  ) async throws {
    guard length > singleLimit else {
      try await client.copy(from: source, to: destination)
      return
    }
    let uploadID = try await client.createMultipartUpload(destination)
    do {
      let ranges = stride(from: Int64(0), to: length, by: Int(partSize)).enumerated().map {
        (number: $0.offset + 1, start: $0.element, end: min($0.element + partSize, length) - 1)
      }
      let parts = ResultsBox()
      try await forEach(ranges, parallelism: 4) { range in
        let etag = try await client.uploadPartCopy(
          destination, uploadID: uploadID, number: range.number, source: source, start: range.start, end: range.end)
        await parts.add(number: range.number, etag: etag)
      }
      try await client.completeMultipartUpload(destination, uploadID: uploadID, parts: await parts.all)
    } catch {
      do {
        try await client.abortMultipartUpload(destination, uploadID: uploadID)
      } catch {
        // The copy's own error is the one to report; an upload left open holds parts until the
        // bucket's lifecycle rule for incomplete uploads removes them.
      }
      throw error
    }
  }

  /// Collects part ETags from concurrent tasks.
  private actor ResultsBox {
    var all: [(number: Int, etag: String)] = []
    func add(number: Int, etag: String) { all.append((number, etag)) }
  }

  /// Runs `body` for every item with at most `parallelism` running; the first failure cancels
  /// the rest and is rethrown.
  static func forEach<Item: Sendable>(
    _ items: [Item], parallelism: Int, _ body: @escaping @Sendable (Item) async throws -> Void
  ) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      var iterator = items.makeIterator()
      for _ in 0..<max(parallelism, 1) {
        guard let item = iterator.next() else { break }
        group.addTask { try await body(item) }
      }
      while try await group.next() != nil {
        if let item = iterator.next() {
          group.addTask { try await body(item) }
        }
      }
    }
  }
}
