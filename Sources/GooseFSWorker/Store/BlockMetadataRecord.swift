import GooseFSCore

/// The sidecar `<blockID>.meta` next to each committed block file, so a restarted worker knows what
/// it holds without asking anyone. Text, one `key value` per line, so an operator can read it:
///
///     goosefs-block 1
///     block 16777216
///     cluster 2b5c…
///     length 67108864
///     persisted true
///     checksum 1c291ca3
///
/// `checksum` is the CRC-32C (hex) of every byte before that line. `persisted false` marks the only
/// copy of the data (written with MUST_CACHE/ASYNC_THROUGH and not yet persisted): never evicted.
/// The record is always written to a temporary file and renamed into place, and it is renamed
/// *after* the block file, so its presence means the block is complete.
struct BlockMetadataRecord: Equatable {
  static let formatLine = "goosefs-block 1"

  var blockID: Int64
  var clusterID: String
  var length: Int64
  var persisted: Bool

  func encoded() -> [UInt8] {
    let body = """
      \(Self.formatLine)
      block \(blockID)
      cluster \(clusterID)
      length \(length)
      persisted \(persisted)

      """
    let bytes = Array(body.utf8)
    return bytes + Array("checksum \(String(CRC32C.checksum(bytes), radix: 16))\n".utf8)
  }

  /// The reason a record cannot be trusted, as a phrase for "Discarding block …: <reason>".
  struct Invalid: Error, CustomStringConvertible {
    var description: String
  }

  static func decode(_ bytes: [UInt8]) throws(Invalid) -> BlockMetadataRecord {
    // The checksum line is the last one; everything before it is covered.
    guard bytes.last == UInt8(ascii: "\n") else { throw Invalid(description: "its metadata is truncated") }
    let withoutFinalNewline = bytes.dropLast()
    let checksumStart = (withoutFinalNewline.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
    let covered = bytes[..<checksumStart]
    let checksumLine = String(decoding: withoutFinalNewline[checksumStart...], as: UTF8.self)
    guard checksumLine.hasPrefix("checksum "), let stored = UInt32(checksumLine.dropFirst(9), radix: 16) else {
      throw Invalid(description: "its metadata has no checksum")
    }
    guard stored == CRC32C.checksum(covered) else { throw Invalid(description: "its metadata checksum does not match") }

    var fields: [String: String] = [:]
    let lines = String(decoding: covered, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.first.map(String.init) == formatLine else {
      throw Invalid(description: "its metadata has an unknown format (\"\(lines.first ?? "")\")")
    }
    for line in lines.dropFirst() where !line.isEmpty {
      guard let space = line.firstIndex(of: " ") else { throw Invalid(description: "its metadata has a malformed line") }
      fields[String(line[..<space])] = String(line[line.index(after: space)...])
    }
    guard let block = fields["block"].flatMap({ Int64($0) }),
      let cluster = fields["cluster"],
      let length = fields["length"].flatMap({ Int64($0) }), length >= 0,
      let persisted = fields["persisted"].flatMap({ Bool($0) })
    else { throw Invalid(description: "its metadata lacks a field") }
    return BlockMetadataRecord(blockID: block, clusterID: cluster, length: length, persisted: persisted)
  }
}
