/// `fs du` (Alluxio DuCommand with GooseFS's header): Java `%-13s %-16s %s`, or
/// `%-13s %-16s %-16s %s` with `--memory`. Cached amounts print as `<size> (<percent>%)`.
/// Fluid's (unused) parser of `du -s` wants 2 lines, the second with 4 fields.
enum DuLines {
  struct Row {
    var length: Int64
    var inGooseFSBytes: Int64
    var inMemoryBytes: Int64
    var path: String
  }

  static func header(memory: Bool) -> String {
    line("File Size", "In GooseFS", memory ? "In Memory" : nil, "Path")
  }

  static func format(_ row: Row, humanReadable: Bool, memory: Bool) -> String {
    line(
      size(row.length, humanReadable),
      cached(row.inGooseFSBytes, of: row.length, humanReadable),
      memory ? cached(row.inMemoryBytes, of: row.length, humanReadable) : nil,
      row.path)
  }

  /// Bytes of a file that a percentage stands for, rounded down as Alluxio does.
  static func portion(of length: Int64, percent: Int32) -> Int64 { length * Int64(percent) / 100 }

  private static func line(_ size: String, _ inGooseFS: String, _ inMemory: String?, _ path: String) -> String {
    guard let inMemory else { return Columns.left(size, 13) + " " + Columns.left(inGooseFS, 16) + " " + path }
    return Columns.left(size, 13) + " " + Columns.left(inGooseFS, 16) + " " + Columns.left(inMemory, 16) + " " + path
  }

  private static func size(_ bytes: Int64, _ humanReadable: Bool) -> String {
    humanReadable ? NumberText.size(bytes) : String(bytes)
  }

  private static func cached(_ bytes: Int64, of total: Int64, _ humanReadable: Bool) -> String {
    let percent = total == 0 ? 0 : bytes * 100 / total
    return "\(size(bytes, humanReadable)) (\(percent)%)"
  }
}
