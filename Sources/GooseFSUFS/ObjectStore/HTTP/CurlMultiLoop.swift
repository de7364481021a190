import CGooseFSHTTP
import Foundation
import Logging
import Synchronization

/// The one thread that drives every transfer of a `CurlHTTPTransport` through libcurl's multi
/// interface: it waits in curl_multi_poll (never on Swift's cooperative pool), lets libcurl move
/// bytes, and finishes transfers. Other threads talk to it only through `submit`, which queues a
/// command under a lock and wakes the poll with curl_multi_wakeup. Every libcurl call on a
/// handle therefore happens on this thread, as libcurl requires.
final class CurlMultiLoop: @unchecked Sendable {
  enum Command {
    case start(CurlTransfer)
    /// The consumer drained the buffer that paused the transfer.
    case resume(CurlTransfer)
    /// The caller's task was cancelled or its consumer gave up.
    case cancel(CurlTransfer)
  }

  private struct Inbox {
    var commands: [Command] = []
    /// Once set, no command is accepted and curl_multi_wakeup is not called again (the thread
    /// cleans the multi handle up after taking the last batch together with this flag).
    var stopping = false
  }

  /// A transfer handed to libcurl: the easy handle it runs on and the +1 reference whose
  /// pointer libcurl holds (CURLOPT_PRIVATE and the callback data options).
  private struct Attached {
    let transfer: CurlTransfer
    let handle: CurlEasyHandle
    let context: Unmanaged<CurlTransfer>
  }

  private let multi: UnsafeMutableRawPointer
  private let configuration: CurlTransportConfiguration
  private let logger: Logger
  private let inbox = Mutex(Inbox())

  // Multi thread only (the reason for @unchecked Sendable; everything shared is in `inbox`).
  private var attached: [ObjectIdentifier: Attached] = [:]
  private var spareHandles: [CurlEasyHandle] = []

  /// curl_global_init is not safe to race with other libcurl calls; a global's initialiser runs
  /// exactly once, before the first loop exists.
  private static let globalInitialisation: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

  init(configuration: CurlTransportConfiguration, logger: Logger) throws(HTTPTransportError) {
    guard Self.globalInitialisation == CURLE_OK, let multi = curl_multi_init() else {
      throw HTTPTransportError(.other, "libcurl could not be initialised")
    }
    self.multi = multi
    self.configuration = configuration
    self.logger = logger
    _ = goosefs_curl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maxConnections)
    _ = goosefs_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
    // The connection cache keeps as many idle connections as may be open at once.
    _ = goosefs_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxConnections)
  }

  func start() {
    let thread = Thread { [self] in run() }
    thread.name = "goosefs-curl-multi"
    thread.start()
  }

  /// Queues `command` for the multi thread. Never blocks beyond a short lock.
  func submit(_ command: Command) {
    let accepted = inbox.withLock { inbox in
      guard !inbox.stopping else { return false }
      inbox.commands.append(command)
      // Inside the lock: the thread cannot clean the multi handle up between check and call.
      curl_multi_wakeup(multi)
      return true
    }
    if !accepted, case .start(let transfer) = command {
      transfer.sink.finish(.failure(Self.shutDownError(transfer)))
    }
  }

  /// Asks the thread to fail every transfer and exit; returns at once.
  func shutdown() {
    inbox.withLock { inbox in
      guard !inbox.stopping else { return }
      inbox.stopping = true
      curl_multi_wakeup(multi)
    }
  }

  // MARK: The thread

  private func run() {
    logger.debug("curl multi thread started", metadata: ["libcurl": "\(String(cString: curl_version()))"])
    var runningCount: Int32 = 0
    while true {
      let (commands, stopping) = inbox.withLock { inbox in
        defer { inbox.commands.removeAll(keepingCapacity: true) }
        return (inbox.commands, inbox.stopping)
      }
      for command in commands { handle(command) }
      if stopping { break }
      curl_multi_perform(multi, &runningCount)
      collectFinishedTransfers()
      let now = ContinuousClock.now
      failStalledTransfers(now: now)
      curl_multi_poll(multi, nil, 0, pollTimeoutMilliseconds(now: now), nil)
    }
    for entry in attached.values {
      detach(entry)
      finish(entry.transfer, .failure(Self.shutDownError(entry.transfer)))
    }
    spareHandles.removeAll()
    curl_multi_cleanup(multi)
    logger.debug("curl multi thread stopped")
  }

  private func handle(_ command: Command) {
    switch command {
    case .start(let transfer):
      begin(transfer)
    case .resume(let transfer):
      guard let entry = attached[ObjectIdentifier(transfer)], transfer.pausedForConsumer else { return }
      // Clear first: unpausing may call the write callback at once, which may pause again.
      transfer.pausedForConsumer = false
      transfer.lastActivity = .now
      curl_easy_pause(entry.handle.raw, CURLPAUSE_CONT)
    case .cancel(let transfer):
      switch transfer.phase {
      case .waiting: transfer.cancelledBeforeStart = true
      case .running:
        if let entry = attached[ObjectIdentifier(transfer)] { detach(entry) }
        finish(transfer, .failure(CancellationError()))
      case .finished: break
      }
    }
  }

  private func begin(_ transfer: CurlTransfer) {
    guard !transfer.cancelledBeforeStart else {
      finish(transfer, .failure(CancellationError()))
      return
    }
    guard let handle = spareHandles.popLast() ?? CurlEasyHandle() else {
      finish(transfer, .failure(HTTPTransportError(.other, "\(transfer.exchange): curl_easy_init failed")))
      return
    }
    let context = Unmanaged.passRetained(transfer)
    do {
      try handle.prepare(for: transfer, context: context.toOpaque(), configuration: configuration)
    } catch {
      context.release()
      recycle(handle)
      finish(transfer, .failure(error))
      return
    }
    let added = curl_multi_add_handle(multi, handle.raw)
    guard added == CURLM_OK else {
      context.release()
      recycle(handle)
      let message = String(cString: curl_multi_strerror(added))
      finish(transfer, .failure(HTTPTransportError(.other, "\(transfer.exchange): \(message)")))
      return
    }
    transfer.phase = .running
    transfer.lastActivity = .now
    attached[ObjectIdentifier(transfer)] = Attached(transfer: transfer, handle: handle, context: context)
  }

  private func collectFinishedTransfers() {
    var remaining: Int32 = 0
    while let message = curl_multi_info_read(multi, &remaining) {
      guard message.pointee.msg == CURLMSG_DONE else { continue }
      // Read everything needed before removing the handle, which invalidates the message.
      let code = message.pointee.data.result
      var context: UnsafeMutableRawPointer?
      _ = goosefs_curl_getinfo_pointer(message.pointee.easy_handle, CURLINFO_PRIVATE, &context)
      guard let context else { continue }
      let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
      guard let entry = attached[ObjectIdentifier(transfer)] else { continue }
      let detail = entry.handle.errorDetail
      detach(entry)
      if code == CURLE_OK {
        finish(transfer, .success(()))
      } else {
        finish(transfer, .failure(CurlErrorMapping.error(code, exchange: transfer.exchange, detail: detail)))
      }
    }
  }

  /// Streams fail when nothing moved for their idle limit, unless they were paused because the
  /// consumer was slow: waiting for our own consumer is not a stalled connection.
  private func failStalledTransfers(now: ContinuousClock.Instant) {
    for entry in attached.values {
      let transfer = entry.transfer
      guard case .idle(let limit) = transfer.limit, !transfer.pausedForConsumer,
        transfer.lastActivity.duration(to: now) > limit
      else { continue }
      detach(entry)
      let error = HTTPTransportError(.timeout, "\(transfer.exchange): no progress for \(limit) (idle timeout)")
      finish(transfer, .failure(error))
    }
  }

  /// libcurl shortens the wait to its own next timeout; ours only needs to cover idle checks.
  private func pollTimeoutMilliseconds(now: ContinuousClock.Instant) -> Int32 {
    var wait = Duration.seconds(1)
    for entry in attached.values {
      guard case .idle(let limit) = entry.transfer.limit, !entry.transfer.pausedForConsumer else { continue }
      wait = min(wait, max(.milliseconds(1), limit - entry.transfer.lastActivity.duration(to: now)))
    }
    return Int32(wait.curlMilliseconds)
  }

  /// Takes the handle away from libcurl; after this no callback refers to the transfer, so the
  /// reference libcurl held is released.
  private func detach(_ entry: Attached) {
    curl_multi_remove_handle(multi, entry.handle.raw)
    attached[ObjectIdentifier(entry.transfer)] = nil
    entry.context.release()
    recycle(entry.handle)
  }

  private func recycle(_ handle: CurlEasyHandle) {
    handle.reset()
    if spareHandles.count < configuration.spareHandles {
      spareHandles.append(handle)
    }
  }

  private func finish(_ transfer: CurlTransfer, _ outcome: Result<Void, any Error>) {
    transfer.phase = .finished
    transfer.sink.finish(outcome)
  }

  private static func shutDownError(_ transfer: CurlTransfer) -> HTTPTransportError {
    HTTPTransportError(.other, "\(transfer.exchange): the HTTP transport has shut down")
  }
}
