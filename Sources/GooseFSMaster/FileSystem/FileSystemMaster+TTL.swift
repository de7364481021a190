import GooseFSCore
import GooseFSRPC

extension FileSystemMaster {
  /// One pass of the TTL checker: expired paths are deleted (action DELETE) or have their cached
  /// data dropped and their TTL cleared (action FREE). Returns the paths acted on.
  @discardableResult
  func runTTLCheck(as superuser: CallerIdentity) async -> [String] {
    let time = now
    let expired = namespace.read { state -> [(String, TTLAction)] in
      state.inodes.values
        .filter { $0.ttlMs >= 0 && $0.creationTimeMs + $0.ttlMs <= time && $0.id != state.rootID }
        .map { (state.path(of: $0.id), TTLAction($0.ttlAction)) }
        .sorted { $0.0 < $1.0 }
    }
    var handled: [String] = []
    for (path, action) in expired {
      // A parent deleted earlier in this pass takes its children with it.
      guard handled.allSatisfy({ !NamespacePath.isSelfOrDescendant(path, of: $0) }) else { continue }
      do {
        switch action {
        case .delete:
          try await remove(path, recursive: true, goosefsOnly: false, caller: superuser)
        case .free:
          // Workers hold no blocks yet in this version; freeing clears the TTL as GooseFS does.
          try await setAttribute(
            SetAttributeRequest(path: path, recursive: false, ttlMs: -1, ttlAction: .delete), caller: superuser)
        }
        logger.info("TTL expired for \(path): action \(action.rawValue) done.")
        handled.append(path)
      } catch {
        logger.warning("TTL action \(action.rawValue) on \(path) failed: \(error). Retrying at the next check.")
      }
    }
    return handled
  }

  /// Runs the TTL checker every `intervalMs` until cancelled.
  func runTTLChecker(intervalMs: Int64, superuser: CallerIdentity) async {
    let interval = Duration.milliseconds(max(intervalMs, 100))
    while !Task.isCancelled {
      do {
        try await Task.sleep(for: interval)
      } catch {
        return
      }
      await runTTLCheck(as: superuser)
    }
  }
}
