import Foundation
import GooseFSClient
import GooseFSCore
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The framed master protocol against a real master process: the same answers and errors as
/// gRPC on the same port, hostile bytes cost only their own connection, and a restarted master
/// is reached again.
@Suite(.timeLimit(.minutes(3))) struct FramedMasterProtocolTests {
  private func configuration(_ cluster: LocalCluster, framed: Bool) -> Configuration {
    Configuration(properties: [
      "goosefs.master.hostname": "127.0.0.1", "goosefs.master.rpc.port": String(cluster.rpcPort),
      "goosefs.user.master.rpc.framed.enabled": String(framed), "goosefs.user.rpc.retry.max.duration": "20s",
      "goosefs.user.file.writetype.default": "MUST_CACHE",
    ])
  }

  private func withFileSystem<T: Sendable>(
    _ cluster: LocalCluster, framed: Bool, _ body: (GRPCFileSystem) async throws -> T
  ) async throws -> T {
    try await MasterConnection.with(configuration(cluster, framed: framed), identity: ProcessIdentity.current()) {
      try await body(GRPCFileSystem(connection: $0))
    }
  }

  @Test func framedCallsAnswerExactlyWhatGRPCAnswersOnTheSamePort() async throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("data/a.txt", "hello")
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let viaGRPC = try await withFileSystem(cluster, framed: false) { try await $0.getStatus("/data/a.txt", syncIntervalMs: nil) }
    try await withFileSystem(cluster, framed: true) { fs in
      let viaFramed = try await fs.getStatus("/data/a.txt", syncIntervalMs: nil)
      #expect(viaFramed == viaGRPC)
      _ = try await fs.createDirectory("/made", recursive: false, allowExists: false, mode: 0o750)
      let created = try await fs.createFile("/made/f", options: CreateFileOptions(mode: 0o640, overwrite: false))
      #expect(created.path == "/made/f" && !created.completed)
      let completed = try await fs.completeFile("/made/f", length: 0)
      #expect(completed.completed && completed.length == 0)
      try await fs.rename("/made/f", to: "/made/g")
      try await fs.setAttribute("/made/g", SetAttributeOptions(mode: 0o600))
      let changed = try await fs.getStatus("/made/g", syncIntervalMs: nil)
      #expect(changed.mode & 0o777 == 0o600)
      try await fs.remove("/made/g", recursive: false, goosefsOnly: false)
    }
    // What the framed calls did is what a gRPC client sees.
    try await withFileSystem(cluster, framed: false) { fs in
      let made = try await fs.getStatus("/made", syncIntervalMs: nil)
      #expect(made.mode & 0o777 == 0o750)
      let gone = await captured { _ = try await fs.getStatus("/made/g", syncIntervalMs: nil) }
      #expect(gone?.code == .notFound)
    }
  }

  @Test func theMastersErrorsArriveWithTheirCodeAndMessage() async throws {
    let cluster = try LocalCluster()
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let framedError = try await withFileSystem(cluster, framed: true) { fs in
      await captured { _ = try await fs.getStatus("/missing", syncIntervalMs: nil) }
    }
    let grpcError = try await withFileSystem(cluster, framed: false) { fs in
      await captured { _ = try await fs.getStatus("/missing", syncIntervalMs: nil) }
    }
    #expect(framedError?.code == .notFound)
    #expect(framedError == grpcError)
    let exists = try await withFileSystem(cluster, framed: true) { fs in
      _ = try await fs.createFile("/x", options: CreateFileOptions(overwrite: false))
      return await captured { _ = try await fs.createFile("/x", options: CreateFileOptions(overwrite: false)) }
    }
    #expect(exists?.code == .alreadyExists)
  }

  /// A peer that sends garbage, a frame longer than the limit, or a request without a caller
  /// loses its connection; the master keeps serving everyone else.
  @Test func hostileBytesCloseOnlyTheirOwnConnection() async throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("kept.txt", "x")
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    let preface: [UInt8] = Array("GFSM".utf8) + [1, 0, 0, 0]
    let hostile: [[UInt8]] = [
      preface + [0xFF, 0xFF, 0xFF, 0xFF, 1],  // 4 GiB frame announced
      preface + [0, 0, 0, 9, 1, 0, 1, 0, 0, 0, 7, 0, 0],  // request with an empty user
      Array("GFSM".utf8) + [9, 0, 0, 0] + [0, 0, 0, 1, 1],  // unknown protocol version
      (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 37) },  // neither HTTP/2 nor framed
    ]
    for bytes in hostile {
      let closed = try Self.sendAndWaitForClose(bytes, port: cluster.rpcPort)
      #expect(closed, "connection kept open after \(bytes.prefix(16))")
    }
    try await withFileSystem(cluster, framed: true) { fs in
      let kept = try await fs.getStatus("/kept.txt", syncIntervalMs: nil)
      #expect(kept.length == 1)
    }
  }

  @Test func aCallAfterTheMasterRestartedReconnects() async throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("kept.txt", "x")
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    try await withFileSystem(cluster, framed: true) { fs in
      let before = try await fs.getStatus("/kept.txt", syncIntervalMs: nil)
      cluster.killMaster()
      try cluster.startMaster()
      let after = try await fs.getStatus("/kept.txt", syncIntervalMs: nil)
      #expect(after.fileID == before.fileID && after.length == 1)
    }
  }

  /// getStatus is answered on the master's event loop only when no folder on the way is due for
  /// a sync with the under store: a caller that asks for a sync (interval 0) sees a file added
  /// there since, one that never syncs (-1) is answered from the namespace as it is.
  @Test func getStatusAnsweredInlineStillSyncsWhenTheIntervalSaysSo() async throws {
    let cluster = try LocalCluster()
    try cluster.writeUFS("d/first", "1")
    try cluster.startMaster()
    defer { cluster.stopMaster() }
    try await withFileSystem(cluster, framed: true) { fs in
      #expect(try await fs.getStatus("/d/first", syncIntervalMs: nil).length == 1)
      for _ in 0..<3 { #expect(try await fs.getStatus("/d/first", syncIntervalMs: -1).length == 1) }
      try cluster.writeUFS("d/later", "22")
      let unsynced = await captured { _ = try await fs.getStatus("/d/later", syncIntervalMs: -1) }
      #expect(unsynced?.code == .notFound, "\(String(describing: unsynced))")
      #expect(try await fs.getStatus("/d/later", syncIntervalMs: 0).length == 2)
      let missing = await captured { _ = try await fs.getStatus("/d/never", syncIntervalMs: -1) }
      #expect(missing?.code == .notFound, "\(String(describing: missing))")
    }
  }

  private func captured(_ body: () async throws -> Void) async -> GooseFSError? {
    do {
      try await body()
      return nil
    } catch {
      return error as? GooseFSError
    }
  }

  /// Connects, writes `bytes`, and reports whether the master closed the connection (read
  /// returns 0 or ECONNRESET) within 10 s.
  static func sendAndWaitForClose(_ bytes: [UInt8], port: Int) throws -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    precondition(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw GooseFSError(.unavailable, "connect failed: errno \(errno)") }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = recv(fd, &buffer, buffer.count, 0)
      if count == 0 || (count < 0 && errno == ECONNRESET) { return true }
      if count < 0 { return false }  // timed out: still open
      // An HTTP/2 GOAWAY or SETTINGS may come first; keep reading until the close.
    }
  }
}
