import CGooseFSFDPassing
import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

/// Asks a worker's short-circuit socket for a block's file descriptor (see
/// `DescriptorPassingServer` for the exchange). Blocking, but local and a few syscalls long.
public enum DescriptorPassingClient {
  public static func open(socketPath: String, blockID: Int64) throws -> (fd: Int32, length: Int64) {
    let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard sock >= 0 else { throw GooseFSError(.ioError, "Cannot create a Unix socket: \(String(cString: strerror(errno)))") }
    defer { close(sock) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = try UnixSocketAddress.make(socketPath)
    let connected = UnixSocketAddress.withSockaddr(&address) { connect(sock, $0, $1) }
    guard connected == 0 else {
      throw GooseFSError(.unavailable, "Cannot connect to short-circuit socket \(socketPath): \(String(cString: strerror(errno)))")
    }
    var request = [UInt8](repeating: 0, count: 8)
    withUnsafeBytes(of: blockID.bigEndian) { request.replaceSubrange(0..<8, with: $0) }
    let sent = request.withUnsafeBytes { goosefs_send_with_fd(sock, $0.baseAddress!, 8, -1) }
    guard sent == 0 else { throw GooseFSError(.ioError, "Short-circuit request failed: \(String(cString: strerror(-sent)))") }
    var answer = [UInt8](repeating: 0, count: 16)
    var received = 0
    var fd: Int32 = -1
    while received < 16 {
      var passed: Int32 = -1
      let n = answer.withUnsafeMutableBytes { goosefs_receive_with_fd(sock, $0.baseAddress! + received, 16 - received, &passed) }
      if passed >= 0 { fd = passed }
      guard n > 0 else {
        if fd >= 0 { close(fd) }
        throw GooseFSError(.unavailable, "The worker closed short-circuit socket \(socketPath) mid-answer.")
      }
      received += Int(n)
    }
    let status = answer[0..<4].reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
    let length = answer[8..<16].reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    guard status == 0 else {
      if fd >= 0 { close(fd) }
      let code = BlockErrorStatus.code(for: status) ?? .internalError
      throw GooseFSError(code, "The worker did not pass block \(blockID)'s file (status \(code.rawValue)).")
    }
    guard fd >= 0 else { throw GooseFSError(.internalError, "The worker answered without a descriptor for block \(blockID).") }
    return (fd, length)
  }
}
