// Durations as plain seconds for the stats the checks return (throughput is part of what the
// FUSE work needs to report, not only pass/fail).

extension Duration {
  public var seconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) / 1e18
  }
}

/// Runs `body` and returns its result with the elapsed wall-clock seconds.
public func timed<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> (T, Double) {
  let clock = ContinuousClock()
  let start = clock.now
  let value = try body()
  return (value, (clock.now - start).seconds)
}
