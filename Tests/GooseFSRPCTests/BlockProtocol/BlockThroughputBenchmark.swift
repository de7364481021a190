import Foundation
import GooseFSCore
import NIOCore
import NIOPosix
import XCTest

@testable import GooseFSRPC

/// Loopback throughput of READ, for comparison with `iperf3` single-stream on the same machine.
/// Opt-in (GOOSEFS_PROTO_BENCH=1) and meaningful only in a release build: `swift test -c release`.
final class BlockThroughputBenchmark: XCTestCase {
  private let blockSize = 64 << 20
  private let total = 2 << 30

  override func setUpWithError() throws {
    try XCTSkipUnless(ProcessInfo.processInfo.environment["GOOSEFS_PROTO_BENCH"] == "1", "set GOOSEFS_PROTO_BENCH=1")
  }

  func testThroughputFromFileRegion() async throws {
    let path = "/dev/shm/goosefs-block-bench-\(UUID().uuidString)"
    let block = BlockTestSupport.pattern(size: blockSize)
    let data = block.withUnsafeReadableBytes { Data($0) }
    guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
      throw GooseFSError(.ioError, "cannot create \(path)")
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    for _ in 0..<(total / blockSize) { file.write(data) }
    try file.close()
    try await measure("FileRegion (sendfile from /dev/shm)", source: .file(path: path, length: total))
  }

  func testThroughputFromByteBuffer() async throws {
    // One 64 MiB block served repeatedly: the bytes come from memory, not from a file.
    let block = BlockTestSupport.pattern(size: blockSize)
    try await measure("ByteBuffer", source: .memory(block), sameBlock: true)
  }

  private func measure(_ label: String, source: TestWorker.Source, sameBlock: Bool = false) async throws {
    let blockSize = self.blockSize
    let total = self.total
    // One event-loop thread each, like a worker and a client in two processes: sharing a thread
    // would serialise the two ends, which no deployment does.
    let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let configuration = Self.configuration()
    try await BlockTestSupport.withServer(
      group: serverGroup, configuration: configuration, handler: TestWorker.reads(from: source)
    ) { server in
      let connection = try await BlockTestSupport.connect(server, group: clientGroup, configuration: configuration)
      // Warm up the connection and the allocator.
      for try await _ in try await connection.read(blockID: 0, offset: 0, length: Int64(blockSize)) {}
      let clock = ContinuousClock()
      var received = 0
      let cpuBefore = Self.processCPUSeconds()
      let elapsed = try await clock.measure {
        for index in 0..<(total / blockSize) {
          let offset = sameBlock ? 0 : Int64(index * blockSize)
          for try await chunk in try await connection.read(blockID: Int64(index), offset: offset, length: Int64(blockSize)) {
            received += chunk.readableBytes
          }
        }
      }
      let cpu = Self.processCPUSeconds() - cpuBefore
      XCTAssertEqual(received, total)
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      let rate = Double(total) / seconds / 1e9
      // CPU seconds per GB (both ends, this process) is steadier than GB/s on a shared machine.
      print(
        "BENCH \(label): \(total >> 20) MiB in \(String(format: "%.3f", seconds)) s = \(String(format: "%.2f", rate)) GB/s, "
          + "\(String(format: "%.2f", cpu / (Double(total) / 1e9))) CPU s/GB")
      await connection.close()
    }
    try await clientGroup.shutdownGracefully()
    try await serverGroup.shutdownGracefully()
  }

  /// The defaults, or the sizes given by GOOSEFS_PROTO_BENCH_CHUNK_KIB (DATA frame payload) and
  /// GOOSEFS_PROTO_BENCH_RECV_KIB (largest socket read), for trying other settings.
  private static func configuration() -> BlockProtocolConfiguration {
    let environment = ProcessInfo.processInfo.environment
    var configuration = BlockProtocolConfiguration()
    if let chunk = environment["GOOSEFS_PROTO_BENCH_CHUNK_KIB"].flatMap(Int.init) {
      configuration.chunkSize = chunk << 10
    }
    if let receive = environment["GOOSEFS_PROTO_BENCH_RECV_KIB"].flatMap(Int.init) {
      configuration.maxReceiveBufferSize = receive << 10
    }
    print("BENCH chunk \(configuration.chunkSize >> 10) KiB, socket reads up to \(configuration.maxReceiveBufferSize >> 10) KiB")
    return configuration
  }

  private static func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }
}
