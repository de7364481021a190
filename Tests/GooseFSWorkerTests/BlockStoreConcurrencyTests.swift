import Dispatch
import Foundation
import GooseFSCore
import Synchronization
import Testing

@testable import GooseFSWorker

/// Writers, readers, removals, promotions and the watermark check all at once, on real threads
/// (the store's calls block, as they will on the worker's I/O threads).
@Suite(.timeLimit(.minutes(2))) struct BlockStoreConcurrencyTests {
  @Test func concurrentWritersAndReaders() throws {
    try withTemporaryFolder { root in
      let blockSize = 8 * 1024
      let layout = makeLayout(root, [("MEM", [20 * 8 * 1024, 12 * 8 * 1024]), ("SSD", [48 * 8 * 1024])], high: 0.9, low: 0.7)
      let store = try openStore(layout, io: BlockIOEngine.probe(preferIOURing: true, ioThreads: 4, logger: quietLogger))
      defer { store.io.shutdown() }
      let problems = Mutex<[String]>([])
      let reads = Mutex(0)

      DispatchQueue.concurrentPerform(iterations: 6) { thread in
        var generator = SystemRandomNumberGenerator()
        var mine: [Int64] = []
        for step in 0..<80 {
          do {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
              let id = Int64(thread * 10_000 + step)
              let length = Int.random(in: 1...(2 * blockSize), using: &generator)
              try writeBlock(store, id, length: length, tier: step % 3 == 0 ? "SSD" : nil, chunk: 1_500)
              mine.append(id)
            case 5..<8:
              // Somebody else's block or one's own; it may have been evicted meanwhile.
              let owner = Int.random(in: 0..<6, using: &generator)
              let id = Int64(owner * 10_000 + Int.random(in: 0..<max(1, step), using: &generator))
              let lease = try store.openForRead(id)
              var bytes = [UInt8](repeating: 0, count: Int(lease.length))
              let count = try bytes.withUnsafeMutableBytes { try store.io.readFully(fd: lease.fd, into: $0, at: 0) }
              lease.release()
              if count != bytes.count || bytes != blockBytes(id, bytes.count) {
                problems.withLock { $0.append("block \(id) read back wrong") }
              }
              reads.withLock { $0 += 1 }
            case 8:
              if let id = mine.randomElement(using: &generator) { try store.remove(id) }
            default:
              if let id = mine.randomElement(using: &generator) { try store.promote(id) }
            }
          } catch let error as GooseFSError where error.code == .notFound || error.code == .resourceExhausted {
            continue
          } catch {
            problems.withLock { $0.append("thread \(thread) step \(step): \(error)") }
          }
        }
      }

      #expect(problems.withLock { $0 } == [])
      #expect(reads.withLock { $0 } > 0)
      store.freeSpaceToLowWatermark()
      for usage in store.usage() {
        #expect(usage.usedBytes <= usage.capacityBytes)
        #expect(usage.usedBytes == store.blocks().filter { $0.tierAlias == usage.alias }.reduce(0) { $0 + $1.length })
        #expect(Double(usage.usedBytes) <= 0.9 * Double(usage.capacityBytes))
      }
      for block in store.blocks() {
        #expect(try readBlock(store, block.blockID) == blockBytes(block.blockID, Int(block.length)))
      }
      // Everything the heartbeat was told adds up to what is stored.
      let reloaded = try openStore(layout)
      #expect(reloaded.blocks() == store.blocks())
    }
  }
}
