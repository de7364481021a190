import GooseFSClient
import GooseFSCore
import Testing

@testable import GooseFSFuse

/// Lookups that miss in one folder share its listing only with callers of the same identity.
@Suite struct SharedListingsTests {
  static let alice = CallerIdentity(user: "alice", groups: ["staff"])
  static let bob = CallerIdentity(user: "bob", groups: ["staff"])

  /// Stands in for the master's permission check: alice may not list, anyone else may.
  static func listAsMaster(_ seen: @escaping @Sendable (String?) -> Void) async throws {
    let caller = MasterConnection.actingCaller?.user
    seen(caller)
    if caller == alice.user { throw GooseFSError(.permissionDenied, "Permission denied: user=alice") }
  }

  @Test func aSecondUserDoesNotGetTheFirstUsersPermissionError() async throws {
    let listings = SharedListings()
    let (started, startedContinuation) = AsyncStream<Void>.makeStream()
    let (gate, gateContinuation) = AsyncStream<Void>.makeStream()
    // alice's listing is held open until bob's lookup is done: before the fix bob waited for it
    // and got alice's error.
    async let aliceResult: Void = listings.run("/d", as: Self.alice) {
      startedContinuation.yield()
      for await _ in gate { break }
      try await Self.listAsMaster { #expect($0 == "alice") }
    }
    for await _ in started { break }
    try await listings.run("/d", as: Self.bob) {
      try await Self.listAsMaster { #expect($0 == "bob") }
    }
    gateContinuation.yield()
    var aliceError: (any Error)?
    do { try await aliceResult } catch { aliceError = error }
    #expect((aliceError as? GooseFSError)?.code == .permissionDenied)
  }

  @Test func theListingRunsAsItsCallerWhateverTaskStartedIt() async throws {
    let listings = SharedListings()
    try await MasterConnection.$actingCaller.withValue(Self.alice) {
      try await listings.run("/d", as: Self.bob) {
        try await Self.listAsMaster { #expect($0 == "bob") }
      }
    }
  }
}
