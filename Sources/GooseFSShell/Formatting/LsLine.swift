import Foundation
import GooseFSCore

/// One `fs ls` line, Alluxio 2.x `LsCommand.LS_FORMAT` with security enabled (the default,
/// SIMPLE authentication): `%-12s%-15s%-15s%15s%16s%24s%5s %-5s` =
/// mode, owner, group, size, persistence state, timestamp, in-GooseFS state, path.
/// Directories show their child count as size and `DIR` as state; files show `N%`.
enum LsLine {
  static func format(
    _ info: FileInfo, humanReadable: Bool, datePattern: String, timeZone: TimeZone,
    timestamp: LsTimestamp = .lastModificationTime
  ) -> String {
    let size: String
    let state: String
    if info.isDirectory {
      size = String(info.childCount)
      state = "DIR"
    } else {
      size = humanReadable ? NumberText.size(info.length) : String(info.length)
      state = "\(info.inGooseFSPercentage)%"
    }
    let date = DateText.format(milliseconds: timestamp.value(of: info), pattern: datePattern, timeZone: timeZone)
    return Columns.left(ModeText.format(info.mode, isDirectory: info.isDirectory), 12)
      + Columns.left(info.owner, 15)
      + Columns.left(info.group, 15)
      + Columns.right(size, 15)
      + Columns.right(info.persistenceState.rawValue, 16)
      + Columns.right(date, 24)
      + Columns.right(state, 5)
      + " " + Columns.left(info.path, 5)
  }
}

/// `ls --timestamp`: which time the date column shows.
enum LsTimestamp: String, Sendable, CaseIterable {
  case creationTime
  case lastAccessTime
  case lastModificationTime

  func value(of info: FileInfo) -> Int64 {
    switch self {
    case .creationTime: info.creationTimeMs
    case .lastAccessTime: info.lastAccessTimeMs
    case .lastModificationTime: info.lastModificationTimeMs
    }
  }
}

/// `ls --sort` fields (Alluxio's set plus `name`).
enum LsSortField: String, Sendable, CaseIterable {
  case creationTime
  case inMemoryPercentage
  case lastAccessTime
  case lastModificationTime
  case name
  case path
  case size

  /// Strict ordering; ties keep listing order (the sort is stable).
  func ordered(_ a: FileInfo, _ b: FileInfo) -> Bool {
    switch self {
    case .creationTime: a.creationTimeMs < b.creationTimeMs
    case .inMemoryPercentage: a.inMemoryPercentage < b.inMemoryPercentage
    case .lastAccessTime: a.lastAccessTimeMs < b.lastAccessTimeMs
    case .lastModificationTime: a.lastModificationTimeMs < b.lastModificationTimeMs
    case .name: a.name.lowercased() < b.name.lowercased()
    // Java String.compareTo compares UTF-16 code units; for paths that is byte order in practice.
    case .path: Array(a.path.utf16).lexicographicallyPrecedes(Array(b.path.utf16))
    case .size: a.length < b.length
    }
  }

  func sorted(_ infos: [FileInfo], reversed: Bool) -> [FileInfo] {
    // Swift's sort is not guaranteed stable; sort indices to keep ties in listing order.
    let indexed = infos.enumerated().sorted { lhs, rhs in
      if ordered(lhs.element, rhs.element) { return !reversed }
      if ordered(rhs.element, lhs.element) { return reversed }
      return lhs.offset < rhs.offset
    }
    return indexed.map(\.element)
  }
}
