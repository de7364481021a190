import Foundation
import GooseFSCore

/// `fs stat` renderings.
enum FileInfoText {
  /// The `FileInfo{...}` dump Alluxio prints after `<path> is a file path.` (Java toString
  /// style; informational, nobody parses it).
  static func dump(_ info: FileInfo) -> String {
    let fields: [(String, String)] = [
      ("fileId", String(info.fileID)),
      ("name", info.name),
      ("path", info.path),
      ("ufsPath", info.ufsPath),
      ("length", String(info.length)),
      ("blockSizeBytes", String(info.blockSizeBytes)),
      ("creationTimeMs", String(info.creationTimeMs)),
      ("completed", String(info.completed)),
      ("folder", String(info.isDirectory)),
      ("pinned", String(info.pinned)),
      ("cacheable", String(info.cacheable)),
      ("persisted", String(info.isPersisted)),
      ("blockIds", "[" + info.blockIDs.map(String.init).joined(separator: ", ") + "]"),
      ("inMemoryPercentage", String(info.inMemoryPercentage)),
      ("lastModificationTimesMs", String(info.lastModificationTimeMs)),
      ("lastAccessTimesMs", String(info.lastAccessTimeMs)),
      ("ttl", String(info.ttlMs)),
      ("ttlAction", info.ttlAction.rawValue),
      ("owner", info.owner),
      ("group", info.group),
      ("mode", String(info.mode)),
      ("persistenceState", info.persistenceState.rawValue),
      ("mountPoint", String(info.isMountPoint)),
      ("replicationMax", String(info.replicationMax)),
      ("replicationMin", String(info.replicationMin)),
      ("mountId", String(info.mountID)),
      ("inGooseFSPercentage", String(info.inGooseFSPercentage)),
      ("ufsFingerprint", info.ufsFingerprint),
    ]
    return "FileInfo{" + fields.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + "}"
  }

  /// `stat -f FORMAT`: %N name, %z size (NA for directories), %u owner, %g group,
  /// %y modification time `yyyy-MM-dd HH:mm:ss`, %Y modification epoch ms, %b block count
  /// (NA for directories). Other text, including unknown `%x`, is copied.
  static func custom(_ format: String, _ info: FileInfo, timeZone: TimeZone) -> String {
    var output = ""
    var iterator = Array(format).makeIterator()
    while let character = iterator.next() {
      guard character == "%" else {
        output.append(character)
        continue
      }
      guard let specifier = iterator.next() else {
        output.append("%")
        break
      }
      switch specifier {
      case "N": output += info.name
      case "z": output += info.isDirectory ? "NA" : String(info.length)
      case "u": output += info.owner
      case "g": output += info.group
      case "y":
        output += DateText.format(
          milliseconds: info.lastModificationTimeMs, pattern: "yyyy-MM-dd HH:mm:ss", timeZone: timeZone)
      case "Y": output += String(info.lastModificationTimeMs)
      case "b": output += info.isDirectory ? "NA" : String(info.blockIDs.count)
      default:
        output.append("%")
        output.append(specifier)
      }
    }
    return output
  }
}
