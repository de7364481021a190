import CGooseFSFDPassing
import Foundation
import GooseFSCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Hands out block file descriptors over a Unix socket (SCM_RIGHTS) to short-circuit clients that
/// cannot open the tier folder by path (e.g. a FUSE container without the tier mount). A client
/// asks with a block id; the answer is a status, the block length and, on success, the open file.
///
/// Wire format: request = block id (8 bytes, big-endian); answer = status (4 bytes, a
/// `BlockErrorStatus` code, 0 = ok), 4 reserved, length (8 bytes), descriptor attached when ok.
/// Connections are served one at a time on a dedicated thread: each exchange is a few syscalls.
public final class DescriptorPassingServer: Sendable {
  public typealias Provider = @Sendable (Int64) throws -> (fd: Int32, length: Int64)

  public let path: String
  private let listener: Int32
  private let provider: Provider
  private let stopped = Mutex(false)

  public init(path: String, provider: @escaping Provider) throws {
    self.path = path
    self.provider = provider
    unlink(path)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw GooseFSError(.ioError, "Cannot create a Unix socket: \(String(cString: strerror(errno)))") }
    var address = try UnixSocketAddress.make(path)
    let bound = UnixSocketAddress.withSockaddr(&address) { bind(fd, $0, $1) }
    guard bound == 0, listen(fd, 64) == 0 else {
      let reason = String(cString: strerror(errno))
      Glibc.close(fd)
      throw GooseFSError(.ioError, "Cannot listen on Unix socket \(path): \(reason)")
    }
    // Anyone who may read blocks over the worker's TCP port may read them here too.
    chmod(path, 0o666)
    listener = fd
    let thread = Thread { [self] in acceptLoop() }
    thread.name = "goosefs-short-circuit"
    thread.start()
  }

  public func close() {
    let first = stopped.withLock { stopped -> Bool in
      defer { stopped = true }
      return !stopped
    }
    guard first else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    Glibc.close(listener)
    unlink(path)
  }

  private func acceptLoop() {
    while !stopped.withLock({ $0 }) {
      let client = accept(listener, nil, nil)
      if client < 0 {
        if errno == EINTR { continue }
        return
      }
      serve(client)
      Glibc.close(client)
    }
  }

  private func serve(_ client: Int32) {
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    while true {
      var request = [UInt8](repeating: 0, count: 8)
      var received = 0
      while received < 8 {
        var ignored: Int32 = -1
        let n = request.withUnsafeMutableBytes { goosefs_receive_with_fd(client, $0.baseAddress! + received, 8 - received, &ignored) }
        if ignored >= 0 { Glibc.close(ignored) }
        guard n > 0 else { return }
        received += Int(n)
      }
      let blockID = request.reduce(Int64(0)) { ($0 << 8) | Int64($1) }
      var answer = [UInt8](repeating: 0, count: 16)
      var fd: Int32 = -1
      do {
        let opened = try provider(blockID)
        fd = opened.fd
        withUnsafeBytes(of: opened.length.bigEndian) { answer.replaceSubrange(8..<16, with: $0) }
      } catch {
        let code = BlockErrorStatus.status(for: RPCErrorMapping.goosefsError(from: error).code)
        withUnsafeBytes(of: code.bigEndian) { answer.replaceSubrange(0..<4, with: $0) }
      }
      let sent = answer.withUnsafeBytes { goosefs_send_with_fd(client, $0.baseAddress!, 16, fd) }
      if fd >= 0 { Glibc.close(fd) }
      guard sent == 0 else { return }
    }
  }
}
