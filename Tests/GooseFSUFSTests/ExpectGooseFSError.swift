import GooseFSCore
import Testing

/// Expects `body` to throw a `GooseFSError` with `code`; returns it for further checks.
@discardableResult
func expectGooseFSError<T>(
  _ code: GooseFSError.Code,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () async throws -> T
) async -> GooseFSError? {
  do {
    _ = try await body()
    Issue.record("Expected a \(code) error, but the call succeeded.", sourceLocation: sourceLocation)
  } catch let error as GooseFSError {
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("Expected GooseFSError \(code), got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
