import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The folders where a worker of this host keeps its block files, as this client learned them
/// from OPEN_LOCAL answers, and the blocks it then read from those files by itself.
///
/// Why a client may open a block file without asking the worker: a worker writes a block into a
/// temporary folder and renames it to `<folder>/<block id>` when it is committed, and never
/// changes it afterwards; block ids are never reused. So a file found at that name with the
/// block's length holds the block's bytes, and an open descriptor keeps reading them even if the
/// worker evicts or moves the block meanwhile (the name goes, the inode stays until the
/// descriptor is closed). What the worker no longer learns is the access itself, for its eviction
/// order: those reads are reported in batches (TOUCH_LOCAL).
final class LocalBlockFolders: Sendable {
  private struct State {
    var folders: [String] = []
    var touched: [Int64] = []
    var oldestTouch: ContinuousClock.Instant?
    var reporting = false
    /// `noteRead` announced a due report whose task has not finished yet.
    var reportClaimed = false
  }

  private let state = Mutex(State())
  /// Accesses reported in one TOUCH_LOCAL at most, and the longest an access waits for a report
  /// while reads go on (an idle client's are sent by the context's sweep).
  static let touchBatch = 512
  static let touchDelay = Duration.seconds(1)

  var folders: [String] { state.withLock { $0.folders } }

  /// Learns the folder of `path`, the file of `blockID` the worker named (and this client could
  /// open by that name: the folder is visible from here).
  func learn(path: String, blockID: Int64) {
    let suffix = "/\(blockID)"
    guard path.hasSuffix(suffix), path.count > suffix.count else { return }
    let folder = String(path.dropLast(suffix.count))
    state.withLock { state in
      if !state.folders.contains(folder) { state.folders.append(folder) }
    }
  }

  /// The block's file opened read-only, if one of the known folders holds it with `length` bytes.
  func open(_ blockID: Int64, length: Int64) -> Int32? {
    for folder in folders {
      let fd = Glibc.open("\(folder)/\(blockID)", O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { continue }
      var info = stat()
      if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int64(info.st_size) == length { return fd }
      Glibc.close(fd)
    }
    return nil
  }

  /// Notes blocks read directly; true when a report is due and nobody else was told so: the
  /// caller then starts the one report (`LocalLeaseTable.reportTouches`), which ends the claim.
  func noteRead(_ blockIDs: [Int64]) -> Bool {
    guard !blockIDs.isEmpty else { return false }
    let now = ContinuousClock.now
    return state.withLock { state in
      state.touched.append(contentsOf: blockIDs)
      if state.oldestTouch == nil { state.oldestTouch = now }
      guard !state.reportClaimed, !state.reporting, Self.isDue(state, now: now) else { return false }
      state.reportClaimed = true
      return true
    }
  }

  /// The accesses to report now (nil when none, or a report is on its way); `reported` ends it.
  func takeTouched(force: Bool) -> [Int64]? {
    let now = ContinuousClock.now
    return state.withLock { state in
      guard !state.reporting, !state.touched.isEmpty, force || Self.isDue(state, now: now) else { return nil }
      state.reporting = true
      let batch = Array(state.touched.prefix(Self.touchBatch))
      state.touched.removeFirst(batch.count)
      state.oldestTouch = state.touched.isEmpty ? nil : now
      return batch
    }
  }

  func reported() { state.withLock { $0.reporting = false } }

  /// The report announced by `noteRead` is done (sent, or nothing was left to send).
  func endClaim() { state.withLock { $0.reportClaimed = false } }

  private static func isDue(_ state: State, now: ContinuousClock.Instant) -> Bool {
    state.touched.count >= touchBatch || state.oldestTouch.map { now - $0 >= touchDelay } ?? false
  }
}
