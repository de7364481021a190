/// Names of the files in a journal folder. Sequences are zero-padded to 20 digits (the width of
/// UInt64.max) so that `ls` order is log order, which helps people inspecting a folder.
enum JournalFileName {
  static let lock = "LOCK"
  static let segmentPrefix = "log."
  static let checkpointPrefix = "checkpoint."
  static let temporarySuffix = ".tmp"

  static func segment(firstSequence: UInt64) -> String { segmentPrefix + padded(firstSequence) }
  static func checkpoint(sequence: UInt64) -> String { checkpointPrefix + padded(sequence) }
  static func temporaryCheckpoint(sequence: UInt64) -> String { checkpoint(sequence: sequence) + temporarySuffix }

  /// What a directory entry is, judged by its name alone.
  enum Kind: Equatable {
    case segment(firstSequence: UInt64)
    case checkpoint(sequence: UInt64)
    case temporary
    case other
  }

  static func classify(_ name: String) -> Kind {
    if name.hasSuffix(temporarySuffix)
      && (name.hasPrefix(checkpointPrefix) || name.hasPrefix(segmentPrefix))
    {
      return .temporary
    }
    if name.hasPrefix(segmentPrefix), let sequence = number(after: segmentPrefix, in: name) {
      return .segment(firstSequence: sequence)
    }
    if name.hasPrefix(checkpointPrefix), let sequence = number(after: checkpointPrefix, in: name) {
      return .checkpoint(sequence: sequence)
    }
    return .other
  }

  private static func number(after prefix: String, in name: String) -> UInt64? {
    let digits = name.dropFirst(prefix.count)
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return UInt64(digits)
  }

  private static func padded(_ value: UInt64) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
  }
}
