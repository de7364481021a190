import GooseFSCore
import NIOCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Small READs made on the calling thread over plain blocking sockets (docs/block-protocol.md,
/// "Blocking reads").
///
/// A READ through `BlockDataConnection` hands the request to an event loop, which wakes the
/// calling task again when the answer is in: four thread wake-ups for an exchange that takes the
/// worker a few tens of microseconds. A FUSE daemon reading a small file from a remote worker
/// can instead send the frame and wait for the answer on its own thread, as a local file read
/// would. Only for callers that may block (a libfuse thread); anything unexpected (no connection,
/// an ERROR answer, a timeout, a broken frame) returns nil and the caller reads the normal way,
/// which knows how to fail over.
///
/// Bounded so that a worker that stops answering cannot take every thread of the caller: at most
/// `maxBlocked` callers wait at once, each at most `timeout`, and a worker that failed is not
/// asked this way for `avoidFor`.
public final class BlockingBlockReads: Sendable {
  public struct Worker: Hashable, Sendable {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
      self.host = host
      self.port = port
    }
  }

  private struct State {
    var idle: [Worker: [Int32]] = [:]
    var avoidedUntil: [Worker: ContinuousClock.Instant] = [:]
    var blocked = 0
  }

  private let state = Mutex(State())
  private let timeout: Duration
  private let maxBlocked: Int
  private let avoidFor: Duration
  private static let maxIdlePerWorker = 4

  public init(timeout: Duration, maxBlocked: Int = 4, avoidFor: Duration = .seconds(10)) {
    self.timeout = timeout
    self.maxBlocked = maxBlocked
    self.avoidFor = avoidFor
  }

  deinit {
    for sockets in state.withLock({ $0.idle.values }) {
      for socket in sockets { Glibc.close(socket) }
    }
  }

  /// Bytes `offset ..< offset + length` of the block, or nil when they could not be had this way.
  public func read(
    _ worker: Worker, blockID: Int64, offset: Int64, length: Int64, request: Goosefs_Block_ReadBlockRequest
  ) -> ByteBuffer? {
    guard length > 0, length <= 16 << 20, enter(worker) else { return nil }
    defer { state.withLock { $0.blocked -= 1 } }
    let frame: ByteBuffer
    do {
      frame = Self.encode(
        try BlockFrameOut.request(.read, blockID: blockID, offset: offset, length: length, message: request, allocator: ByteBufferAllocator()))
    } catch {
      return nil
    }
    // An idle socket may have been closed by a worker that restarted: one more try on a new one.
    for reused in [true, false] {
      guard let socket = reused ? takeIdle(worker) : connect(worker) else { continue }
      switch exchange(socket, frame: frame, blockID: blockID, offset: offset, length: length) {
      case .bytes(let bytes):
        giveBack(socket, to: worker)
        return bytes
      case .refused:
        // The worker answered ERROR (say, the block is no longer there); the connection is fine.
        giveBack(socket, to: worker)
        return nil
      case .broken(let closedUnanswered):
        Glibc.close(socket)
        if reused, closedUnanswered { continue }
        avoid(worker)
        return nil
      }
    }
    avoid(worker)
    return nil
  }

  private enum Outcome {
    case bytes(ByteBuffer)
    case refused
    /// `closedUnanswered`: the worker closed the connection before answering anything (not a
    /// timeout), as one that restarted since the socket was last used does.
    case broken(closedUnanswered: Bool)
  }

  private func exchange(_ socket: Int32, frame: ByteBuffer, blockID: Int64, offset: Int64, length: Int64) -> Outcome {
    guard Self.sendAll(socket, frame) else { return .broken(closedUnanswered: errno == EPIPE || errno == ECONNRESET) }
    var result = ByteBufferAllocator().buffer(capacity: Int(length))
    var answered = false
    while true {
      var headerBytes = ByteBufferAllocator().buffer(capacity: BlockFrameHeader.size)
      let received = Self.receive(socket, count: BlockFrameHeader.size, into: &headerBytes, answered: &answered)
      guard received == .all else { return .broken(closedUnanswered: !answered && received == .closed) }
      // A header no worker of ours sends: the connection is not usable, the caller reads the usual way.
      guard let header = try? BlockFrameHeader.read(from: &headerBytes) else { return .broken(closedUnanswered: false) }
      switch header.op {
      case .data:
        let expected = offset + Int64(result.readableBytes)
        guard header.blockID == blockID, header.offset == expected,
          Int64(result.readableBytes + header.payloadLength) <= length,
          Self.receive(socket, count: header.payloadLength, into: &result, answered: &answered) == .all
        else { return .broken(closedUnanswered: false) }
      case .end:
        guard header.blockID == blockID, header.length == Int64(result.readableBytes) else {
          return .broken(closedUnanswered: false)
        }
        // Fewer bytes than asked: the block is shorter. The caller asked within the file's
        // blocks, so that is a worker that disagrees with the master: read the normal way.
        return header.length == length ? .bytes(result) : .refused
      case .error:
        var payload = ByteBufferAllocator().buffer(capacity: header.payloadLength)
        guard Self.receive(socket, count: header.payloadLength, into: &payload, answered: &answered) == .all else {
          return .broken(closedUnanswered: false)
        }
        return .refused
      default:
        return .broken(closedUnanswered: false)
      }
    }
  }

  // MARK: Sockets

  private func enter(_ worker: Worker) -> Bool {
    state.withLock { state in
      guard state.blocked < maxBlocked else { return false }
      if let until = state.avoidedUntil[worker] {
        guard ContinuousClock.now >= until else { return false }
        state.avoidedUntil[worker] = nil
      }
      state.blocked += 1
      return true
    }
  }

  private func avoid(_ worker: Worker) {
    let until = ContinuousClock.now + avoidFor
    state.withLock { $0.avoidedUntil[worker] = until }
  }

  private func takeIdle(_ worker: Worker) -> Int32? {
    state.withLock { $0.idle[worker]?.popLast() }
  }

  private func giveBack(_ socket: Int32, to worker: Worker) {
    let kept = state.withLock { state -> Bool in
      guard state.idle[worker, default: []].count < Self.maxIdlePerWorker else { return false }
      state.idle[worker, default: []].append(socket)
      return true
    }
    if !kept { Glibc.close(socket) }
  }

  private var timeoutMilliseconds: Int32 {
    Int32(clamping: max(1, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
  }

  /// A connected blocking socket with send and receive timeouts, or nil. The connect itself is
  /// bounded too (non-blocking connect, then poll), so an unreachable host cannot hold the thread.
  private func connect(_ worker: Worker) -> Int32? {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var found: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(worker.host, String(worker.port), &hints, &found) == 0, let first = found else { return nil }
    defer { freeaddrinfo(found) }
    var candidate: UnsafeMutablePointer<addrinfo>? = first
    while let address = candidate {
      candidate = address.pointee.ai_next
      let socket = Glibc.socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
      guard socket >= 0 else { continue }
      if Glibc.connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 {
        var poller = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
        var failure: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard errno == EINPROGRESS, poll(&poller, 1, timeoutMilliseconds) == 1,
          getsockopt(socket, SOL_SOCKET, SO_ERROR, &failure, &size) == 0, failure == 0
        else {
          Glibc.close(socket)
          continue
        }
      }
      _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) & ~O_NONBLOCK)
      var one: Int32 = 1
      _ = setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      var limit = timeval(tv_sec: Int(timeoutMilliseconds / 1000), tv_usec: Int(timeoutMilliseconds % 1000) * 1000)
      _ = setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
      _ = setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
      return socket
    }
    return nil
  }

  private static func encode(_ frame: BlockFrameOut) -> ByteBuffer {
    var bytes = ByteBufferAllocator().buffer(capacity: BlockFrameHeader.size + frame.payload.length)
    frame.header.write(to: &bytes)
    if case .buffer(var payload) = frame.payload { bytes.writeBuffer(&payload) }
    return bytes
  }

  private static func sendAll(_ socket: Int32, _ bytes: ByteBuffer) -> Bool {
    bytes.withUnsafeReadableBytes { pointer in
      var done = 0
      while done < pointer.count {
        let sent = send(socket, pointer.baseAddress! + done, pointer.count - done, Int32(MSG_NOSIGNAL))
        if sent < 0, errno == EINTR { continue }
        guard sent > 0 else { return false }
        done += sent
      }
      return true
    }
  }

  private enum Received { case all, closed, failed }

  /// Appends exactly `count` bytes from the socket to `buffer`, or says why not: the peer closed
  /// the connection, or a timeout or an error. `answered` becomes true with the first byte.
  private static func receive(_ socket: Int32, count: Int, into buffer: inout ByteBuffer, answered: inout Bool) -> Received {
    guard count > 0 else { return .all }
    var outcome = Received.all
    var anyByte = false
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
      var done = 0
      while done < count {
        let got = recv(socket, pointer.baseAddress! + done, count - done, Int32(MSG_WAITALL))
        if got < 0, errno == EINTR { continue }
        guard got > 0 else {
          outcome = got == 0 || errno == ECONNRESET ? .closed : .failed
          return done
        }
        anyByte = true
        done += got
      }
      return done
    }
    if anyByte { answered = true }
    return outcome
  }
}
