import GooseFSCore
import Synchronization
import Testing

@testable import GooseFSFuse

/// An open directory's streamed listing: bounded memory, rewinds, and streams that fail.
@Suite struct DirectoryListingTests {
  /// A folder of `count` names listed in pages; records how far each run got.
  final class Folder: Sendable {
    let names: [String]
    let pageSize: Int
    /// Entries handed over per run (a run = one call of the lister).
    let delivered = Mutex<[Int]>([])
    /// Make run number `index` (0-based) fail after `pages` pages.
    let failures: [Int: Int]
    let failure = GooseFSError(.unavailable, "the master went away")
    /// One element each time a run returns or throws.
    let runEnds: AsyncStream<Void>
    private let runEnded: AsyncStream<Void>.Continuation

    init(count: Int, pageSize: Int, failures: [Int: Int] = [:]) {
      names = (0..<count).map { String(format: "f%06d", $0) }
      self.pageSize = pageSize
      self.failures = failures
      (runEnds, runEnded) = AsyncStream.makeStream(of: Void.self)
    }

    var runs: Int { delivered.withLock { $0.count } }
    var mostDelivered: Int { delivered.withLock { $0.max() ?? 0 } }

    func lister() -> DirectoryListing.Lister {
      { [self] onPage in
        let run = delivered.withLock { runs in
          runs.append(0)
          return runs.count - 1
        }
        defer { runEnded.yield() }
        var start = 0
        var pages = 0
        repeat {
          if let limit = failures[run], pages == limit { throw failure }
          let page = names[start..<min(start + pageSize, names.count)].map { FileInfo(name: $0, path: "/d/" + $0) }
          try await onPage(page)
          delivered.withLock { $0[run] += page.count }
          start += pageSize
          pages += 1
        } while start < names.count
      }
    }
  }

  /// Reads like the kernel does: `batch` entries per request, each request resuming where the
  /// previous one stopped, until the end. Returns the names and the largest lead of the stream.
  static func readAll(_ listing: DirectoryListing, from start: Int = 0, batch: Int, folder: Folder) async throws
    -> (names: [String], largestLead: Int)
  {
    var names: [String] = []
    var position = start
    var largestLead = 0
    while true {
      if case .wait = listing.available(at: position) { try await listing.waitUntilAvailable(at: position) }
      guard case .entries(let entries) = listing.available(at: position) else { break }
      names += entries.prefix(batch).map(\.name)
      position += min(batch, entries.count)
      largestLead = max(largestLead, folder.delivered.withLock { $0.last ?? 0 } - position)
    }
    return (names, largestLead)
  }

  @Test func aLargeFolderStreamsWithinTheWindow() async throws {
    let folder = Folder(count: 20_000, pageSize: 1000)
    let listing = DirectoryListing(window: 2500, lister: folder.lister())
    try await listing.open()
    let (names, lead) = try await Self.readAll(listing, batch: 37, folder: folder)
    #expect(names == folder.names)
    #expect(folder.runs == 1)
    // The stream delivers a page, then waits while a window's worth is unread.
    #expect(lead <= 2500 + 1000, "the stream ran \(lead) entries ahead")
    listing.close()
  }

  @Test func rewindingRestartsTheListingAndSeekingSkips() async throws {
    let folder = Folder(count: 5000, pageSize: 500)
    let listing = DirectoryListing(window: 800, lister: folder.lister())
    try await listing.open()
    let firstPart = try #require(try await Self.readPrefix(listing, count: 3000))
    #expect(firstPart == Array(folder.names.prefix(3000)))
    // rewinddir: position 0 was dropped long ago.
    let again = try await Self.readAll(listing, batch: 100, folder: folder)
    #expect(again.names == folder.names)
    #expect(folder.runs == 2)
    // seekdir back to a remembered position long dropped: a third run skips to it.
    let tail = try await Self.readAll(listing, from: 1234, batch: 50, folder: folder)
    #expect(tail.names == Array(folder.names[1234...]))
    #expect(folder.runs == 3)
    listing.close()
  }

  static func readPrefix(_ listing: DirectoryListing, count: Int) async throws -> [String]? {
    var names: [String] = []
    while names.count < count {
      try await listing.waitUntilAvailable(at: names.count)
      guard case .entries(let entries) = listing.available(at: names.count) else { return nil }
      names += entries.prefix(min(64, count - names.count)).map(\.name)
    }
    return names
  }

  @Test func aStreamThatFailsMidwayIsRestartedOnceAndSkipsWhatWasRead() async throws {
    let folder = Folder(count: 3000, pageSize: 500, failures: [0: 2])
    let listing = DirectoryListing(window: 10_000, lister: folder.lister())
    try await listing.open()
    let (names, _) = try await Self.readAll(listing, batch: 64, folder: folder)
    #expect(names == folder.names)
    #expect(folder.runs == 2)
    listing.close()
  }

  @Test func aStreamThatKeepsFailingFailsTheRead() async throws {
    let folder = Folder(count: 3000, pageSize: 500, failures: [0: 1, 1: 0])
    let listing = DirectoryListing(window: 10_000, lister: folder.lister())
    try await listing.open()
    await #expect(throws: GooseFSError.self) { _ = try await Self.readAll(listing, batch: 64, folder: folder) }
    #expect(folder.runs == 2)
    listing.close()
  }

  @Test func aFolderThatCannotBeListedFailsOpen() async throws {
    let folder = Folder(count: 10, pageSize: 5, failures: [0: 0])
    let listing = DirectoryListing(window: 100, lister: folder.lister())
    await #expect(throws: GooseFSError.self) { try await listing.open() }
    #expect(folder.runs == 1)
  }

  @Test func anEmptyFolderEndsAtOnce() async throws {
    let listing = DirectoryListing(window: 100) { onPage in try await onPage([]) }
    try await listing.open()
    guard case .end = listing.available(at: 0) else {
      Issue.record("an empty folder has no entries")
      return
    }
  }

  @Test(.timeLimit(.minutes(1))) func closingStopsAStreamThatWaitsForTheReader() async throws {
    let folder = Folder(count: 10_000, pageSize: 100)
    let listing = DirectoryListing(window: 150, lister: folder.lister())
    try await listing.open()
    listing.close()
    // The stream's run ends (its onPage throws) instead of waiting for a reader forever.
    var ends = folder.runEnds.makeAsyncIterator()
    _ = await ends.next()
    #expect(folder.runs == 1 && folder.mostDelivered < 10_000)
  }
}
