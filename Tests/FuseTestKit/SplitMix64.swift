// A tiny deterministic PRNG. A failing run must be replayable from its seed alone, on any
// machine and any Swift version, so this avoids SystemRandomNumberGenerator and also avoids
// the standard library's `random(in:using:)` (its algorithm is not a stability promise).

/// SplitMix64 (Steele, Lea, Flood 2014): one 64-bit add and a mixing function per output.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public private(set) var state: UInt64

  public init(seed: UInt64) {
    state = seed
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// The SplitMix64 finalizer; also used statelessly to derive file contents from a position.
  @inlinable
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform-enough value in 0..<bound. Modulo bias is below 2^-40 for the small bounds used
  /// here, and plain modulo keeps the sequence trivially reproducible.
  public mutating func below(_ bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    return Int(next() % UInt64(bound))
  }

  /// Value in the closed range.
  public mutating func inRange(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.upperBound - range.lowerBound + 1)
  }

  /// True with the given percentage (0...100).
  public mutating func percent(_ chance: Int) -> Bool {
    below(100) < chance
  }

  public mutating func pick<T>(_ items: [T]) -> T {
    items[below(items.count)]
  }
}
