import Foundation
import GooseFSTestSupport
import Testing

/// `fs cat` / `fs copyToLocal <src> -` through a real master and worker: stdout holds only file
/// bytes, the error goes to stderr, exit 255; `fs ls` keeps its stdout error (Fluid parses it).
@Suite(.serialized, .timeLimit(.minutes(10))) struct DataStreamErrorTests {
  static let mebibyte = 1 << 20

  @Test(arguments: [["fs", "cat"], ["fs", "copyToLocal"]])
  func aReadFailingHalfWayLeavesOnlyFileBytesOnStdout(_ command: [String]) throws {
    let cluster = try LocalCluster(extraProperties: ["goosefs.user.block.size.bytes.default": "1MB"])
    let source = cluster.ufs.appendingPathComponent("data/cut.bin")
    try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
    let contents = Data((0..<(3 * Self.mebibyte)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
    try contents.write(to: source)
    try cluster.startMaster()
    try cluster.startWorker(LocalWorker(index: 0, spec: WorkerSpec(host: "127.0.0.2"), root: cluster.root))
    // The master records 3 MiB; then the under store loses the last half of the file, so the
    // worker serves block 0 and fails on block 1: a read that dies mid-way, whatever failover does.
    let ls = try cluster.run(["fs", "ls", "/data/cut.bin"])
    #expect(ls.status == 0, "\(ls.stdout)")
    let handle = try FileHandle(forWritingTo: source)
    try handle.truncate(atOffset: UInt64(3 * Self.mebibyte / 2))
    try handle.close()

    let out = cluster.root.appendingPathComponent("out.bin")
    let arguments = command + ["/data/cut.bin"] + (command.last == "copyToLocal" ? ["-"] : [])
    let read = try ChildProcess.run(
      LocalCluster.binaries.appendingPathComponent("goosefs"), arguments, environment: cluster.environment,
      stdoutFile: out.path)
    let written = try Data(contentsOf: out)
    #expect(read.status == 255)
    #expect(written.count >= Self.mebibyte, "block 0 was served before the failure")
    #expect(written.count < contents.count)
    #expect(written == contents.prefix(written.count), "stdout holds only the file's bytes")
    #expect(!read.stderr.isEmpty)
  }

  @Test func aMissingPathIsOnStderrForDataCommandsAndOnStdoutForLs() throws {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    for arguments in [["fs", "cat", "/nope"], ["fs", "head", "/nope"], ["fs", "tail", "/nope"], ["fs", "copyToLocal", "/nope", "-"]] {
      let result = try cluster.run(arguments)
      #expect(result.status == 255, "\(arguments)")
      #expect(result.stdout.isEmpty, "\(arguments)")
      #expect(result.stderr.hasSuffix("Path \"/nope\" does not exist.\n"), "\(arguments): \(result.stderr)")
    }
    let ls = try cluster.run(["fs", "ls", "/nope"])
    #expect(ls.status == 255)
    #expect(ls.stdout == "Path \"/nope\" does not exist.\n")
  }
}
