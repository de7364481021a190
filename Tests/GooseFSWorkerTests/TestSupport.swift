import Foundation
import GooseFSCore
import Logging
import Synchronization
import Testing

@testable import GooseFSWorker

/// A fresh folder removed when the test ends. `base` picks the file system (/dev/shm for tmpfs).
func withTemporaryFolder<T>(base: String? = nil, _ body: (String) throws -> T) throws -> T {
  let parent = base ?? FileManager.default.temporaryDirectory.path
  let root = parent + "/goosefs-worker-tests-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: root) }
  return try body(root)
}

func withTemporaryFolder<T>(base: String? = nil, _ body: (String) async throws -> T) async throws -> T {
  let parent = base ?? FileManager.default.temporaryDirectory.path
  let root = parent + "/goosefs-worker-tests-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: root) }
  return try await body(root)
}

let quietLogger = Logger(label: "worker-test") { _ in SwiftLogNoOpLogHandler() }

/// Keeps every log line so tests can check what an operator would read.
final class LogRecorder: Sendable {
  let lines = Mutex<[(Logger.Level, String)]>([])

  var logger: Logger {
    var logger = Logger(label: "worker-test") { _ in RecordingHandler(recorder: self) }
    logger.logLevel = .trace
    return logger
  }

  func messages(atLeast level: Logger.Level) -> [String] {
    lines.withLock { $0.filter { $0.0 >= level }.map(\.1) }
  }

  struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      recorder.lines.withLock { $0.append((event.level, event.message.description)) }
    }
  }
}

/// Recognisable content: a block's bytes depend on its id and position.
func blockBytes(_ blockID: Int64, _ length: Int, from start: Int = 0) -> [UInt8] {
  (start..<(start + length)).map { UInt8(truncatingIfNeeded: Int($0) &* 31 &+ Int(blockID) &* 7 &+ ($0 >> 8)) }
}

/// Tiers as (alias, directory quotas); each directory is `<root>/<alias>-<n>`.
func makeLayout(
  _ root: String, _ tiers: [(String, [Int64])], high: Double = 1.0, low: Double = 1.0, freeAhead: Int64 = 0
) -> BlockStoreLayout {
  BlockStoreLayout(
    tiers: tiers.map { alias, quotas in
      BlockStoreLayout.Tier(
        alias: alias,
        directories: quotas.enumerated().map { index, quota in
          BlockStoreLayout.Directory(path: "\(root)/\(alias.lowercased())-\(index)", mediumType: alias, quotaBytes: quota)
        },
        highWatermarkRatio: high, lowWatermarkRatio: low)
    },
    freeAheadBytes: freeAhead)
}

let testClusterID = "cluster-test-0001"

/// I/O threads shared by the tests' stores (each store would otherwise need its own, shut down).
let testIOExecutor = BlockIOExecutor(threads: 4)

func openStore(
  _ layout: BlockStoreLayout, clusterID: String = testClusterID, io: (any BlockFileIO)? = nil, logger: Logger = quietLogger,
  options: TieredBlockStore.Options = .init(syncOnCommit: false), executor: BlockIOExecutor = testIOExecutor
) throws -> TieredBlockStore {
  try TieredBlockStore(
    layout: layout, clusterID: clusterID, io: io ?? PosixBlockIO(), executor: executor, logger: logger, options: options)
}

/// Writes a whole block in `chunk`-sized appends and commits it.
@discardableResult
func writeBlock(
  _ store: TieredBlockStore, _ blockID: Int64, length: Int, tier: String? = nil, persisted: Bool = true, chunk: Int = 4096,
  expectedLength: Int64? = nil
) throws -> StoredBlockInfo {
  let writer = try store.createBlock(blockID, tierAlias: tier, expectedLength: expectedLength, persisted: persisted)
  let bytes = blockBytes(blockID, length)
  var offset = 0
  while offset < length {
    let end = min(length, offset + chunk)
    try writer.write(Array(bytes[offset..<end]))
    offset = end
  }
  return try writer.commit()
}

/// Reads a whole block through a lease.
func readBlock(_ store: TieredBlockStore, _ blockID: Int64) throws -> [UInt8] {
  let lease = try store.openForRead(blockID)
  defer { lease.release() }
  var bytes = [UInt8](repeating: 0, count: Int(lease.length))
  let count = try bytes.withUnsafeMutableBytes { try store.io.readFully(fd: lease.fd, into: $0, at: 0) }
  #expect(count == Int(lease.length))
  return bytes
}

func tierOf(_ store: TieredBlockStore, _ blockID: Int64) -> String? {
  store.blockInfo(blockID)?.tierAlias
}

/// Bytes of regular files under `folder`, recursively: what the disk really holds.
func bytesOnDisk(_ folder: String) -> Int64 {
  guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return 0 }
  var total: Int64 = 0
  while let name = enumerator.nextObject() as? String {
    if let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + name),
      attributes[.type] as? FileAttributeType == .typeRegular, !name.hasSuffix(".meta")
    {
      total += (attributes[.size] as? Int64) ?? Int64((attributes[.size] as? Int) ?? 0)
    }
  }
  return total
}
