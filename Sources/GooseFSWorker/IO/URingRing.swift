import CGooseFSURing
import Dispatch
import Foundation
import Glibc
import Logging
import Synchronization

/// One submitted operation. Its address travels through the kernel as the entry's user data (a
/// retained reference), so completions need no lookup table.
final class URingOperation: Sendable {
  enum Kind: Sendable { case read, write, nop }

  let kind: Kind
  let fd: Int32
  /// The caller's buffer, as an address so the operation is Sendable; the caller keeps the memory
  /// alive until `completion` has run.
  let address: UInt
  let count: UInt32
  let offset: UInt64
  /// Called once on the completion thread with the kernel's result (bytes, or -errno). It must
  /// only hand the result on (resume a continuation, signal a semaphore), never block.
  let completion: @Sendable (Int32) -> Void

  init(_ kind: Kind, fd: Int32, address: UInt, count: UInt32, offset: UInt64, completion: @escaping @Sendable (Int32) -> Void) {
    self.kind = kind
    self.fd = fd
    self.address = address
    self.count = count
    self.offset = offset
    self.completion = completion
  }
}

/// The ring and its threads. Submitters fill submission entries under `state`'s lock (liburing's
/// submission side is single-producer); one dedicated completion thread owns the completion side,
/// so neither a submitter nor a Swift task ever waits in the kernel for another one's I/O.
///
/// At most `queueDepth` operations are in the kernel at once; more wait in `pending` (FIFO) and are
/// submitted as completions free slots. The completion queue (twice the submission queue) can then
/// never overflow.
final class URingRing: Sendable {
  private struct State {
    var inFlight = 0
    var pending: [URingOperation] = []
    var closed = false
    /// A submit the kernel refused with EAGAIN/EBUSY; retried after the next completions.
    var needsSubmit = false
  }

  /// The liburing handle. Its submission side is touched only under `state`'s lock, its completion
  /// side only by the completion thread, as liburing requires.
  private struct RingPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<io_uring>
  }

  private let ring: RingPointer
  private let state = Mutex(State())
  private let exited = DispatchSemaphore(value: 0)
  private let logger: Logger
  let queueDepth: Int

  /// Sets up the ring (no flags: submissions come from many threads, which rules out
  /// SINGLE_ISSUER, and SQPOLL would burn a core on a two-core machine) and starts the completion thread.
  init(queueDepth: UInt32, logger: Logger) throws(IOURingUnavailable) {
    let pointer = UnsafeMutablePointer<io_uring>.allocate(capacity: 1)
    pointer.initialize(to: io_uring())
    let rc = io_uring_queue_init(queueDepth, pointer, 0)
    guard rc == 0 else {
      pointer.deinitialize(count: 1)
      pointer.deallocate()
      throw IOURingUnavailable(call: "io_uring_queue_init", errno: -rc)
    }
    ring = RingPointer(pointer: pointer)
    self.queueDepth = Int(queueDepth)
    self.logger = logger
    let thread = Thread { [self] in runCompletions() }
    thread.name = "goosefs-io-uring"
    thread.start()
  }

  /// Queues `operation`; its completion runs with -ECANCELED when the ring is shut down.
  func submit(_ operation: URingOperation) {
    let accepted = state.withLock { state in
      guard !state.closed else { return false }
      if state.inFlight < queueDepth && state.pending.isEmpty && push(operation) {
        state.inFlight += 1
        submitToKernel(&state)
      } else {
        state.pending.append(operation)
      }
      return true
    }
    if !accepted { operation.completion(-ECANCELED) }
  }

  /// Refuses new work, waits for in-flight work, joins the completion thread and frees the ring.
  /// Idempotent.
  func shutdown() {
    let first = state.withLock { state -> Bool in
      guard !state.closed else { return false }
      state.closed = true
      // A no-op wakes the completion thread even when nothing else is in flight. It bypasses
      // the depth limit: the completion queue has room for twice the depth.
      let wake = URingOperation(.nop, fd: -1, address: 0, count: 0, offset: 0) { _ in }
      if push(wake) {
        state.inFlight += 1
      } else {
        state.pending.append(wake)
      }
      submitToKernel(&state)
      return true
    }
    guard first else { return }
    exited.wait()
    io_uring_queue_exit(ring.pointer)
    ring.pointer.deinitialize(count: 1)
    ring.pointer.deallocate()
  }

  // MARK: - Submission side (under the lock)

  private func push(_ operation: URingOperation) -> Bool {
    guard let sqe = goosefs_uring_get_sqe(ring.pointer) else { return false }
    let userData = UInt64(UInt(bitPattern: Unmanaged.passRetained(operation).toOpaque()))
    let buffer = UnsafeMutableRawPointer(bitPattern: operation.address)
    switch operation.kind {
    case .read:
      goosefs_uring_prep_read(sqe, operation.fd, buffer, operation.count, operation.offset, userData)
    case .write:
      goosefs_uring_prep_write(sqe, operation.fd, buffer, operation.count, operation.offset, userData)
    case .nop:
      goosefs_uring_prep_nop(sqe, userData)
    }
    return true
  }

  /// Hands queued entries to the kernel. Buffered reads of cached pages (all of tmpfs) complete
  /// right here, copied by this thread while it holds the lock: with one ring such reads are
  /// serialised, which is why pread on the POSIX pool reads the MEM tier faster (measured by IOBenchmarkTests).
  private func submitToKernel(_ state: inout State) {
    var attempts = 0
    while true {
      let rc = io_uring_submit(ring.pointer)
      if rc >= 0 {
        state.needsSubmit = false
        return
      }
      if rc == -EINTR { continue }
      // EAGAIN (no kernel memory for requests) and EBUSY (completions backed up) pass: the entries
      // stay in the ring. Retry briefly here, since with nothing else in flight no completion
      // would come to retry them; after that the completion thread retries after each batch.
      attempts += 1
      if (rc == -EAGAIN || rc == -EBUSY) && attempts < Self.submitRetries {
        usleep(1_000)
        continue
      }
      state.needsSubmit = true
      logger.error("io_uring_submit failed: \(IOError.describe(-rc)); retrying after the next completion")
      return
    }
  }

  /// About a second of 1 ms pauses.
  private static let submitRetries = 1_000

  // MARK: - Completion side (the completion thread only)

  private func runCompletions() {
    var batch: [(URingOperation, Int32)] = []
    batch.reserveCapacity(64)
    while true {
      var cqe: UnsafeMutablePointer<io_uring_cqe>?
      let rc = goosefs_uring_wait_cqe(ring.pointer, &cqe)
      if rc == -EINTR || rc == -EAGAIN { continue }
      guard rc == 0, var entry = cqe else {
        logger.error("io_uring_wait_cqe failed: \(IOError.describe(-rc))")
        continue
      }
      // Take every completion that is ready, then account for them under one lock.
      while true {
        let userData = entry.pointee.user_data
        let result = entry.pointee.res
        goosefs_uring_cqe_seen(ring.pointer, entry)
        if let raw = UnsafeRawPointer(bitPattern: UInt(userData)) {
          batch.append((Unmanaged<URingOperation>.fromOpaque(raw).takeRetainedValue(), result))
        }
        var next: UnsafeMutablePointer<io_uring_cqe>?
        guard goosefs_uring_peek_cqe(ring.pointer, &next) == 0, let ready = next else { break }
        entry = ready
      }
      let finished = state.withLock { state -> Bool in
        state.inFlight -= batch.count
        var moved = false
        while state.inFlight < queueDepth, !state.pending.isEmpty {
          guard push(state.pending[0]) else { break }
          state.pending.removeFirst()
          state.inFlight += 1
          moved = true
        }
        if moved || state.needsSubmit { submitToKernel(&state) }
        return state.closed && state.inFlight == 0 && state.pending.isEmpty
      }
      for (operation, result) in batch { operation.completion(result) }
      batch.removeAll(keepingCapacity: true)
      if finished { break }
    }
    exited.signal()
  }
}
