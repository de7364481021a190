import Foundation

/// A scratch folder on the local disk for copy tests, removed by `remove()`.
struct LocalTree {
  let root: String

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("goosefs-shell-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  func path(_ relative: String) -> String { relative.isEmpty ? root : root + "/" + relative }

  func write(_ relative: String, _ bytes: [UInt8]) throws {
    let url = URL(fileURLWithPath: path(relative))
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  func makeDirectory(_ relative: String) throws {
    try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
  }

  func read(_ relative: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path(relative)).map { Array($0) }
  }

  /// Every entry below `relative`: directories as "dir/", files with their bytes.
  func snapshot(_ relative: String) -> [String: [UInt8]?] {
    let base = path(relative)
    var entries: [String: [UInt8]?] = [:]
    for case let name as String in FileManager.default.enumerator(atPath: base)! {
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isDirectory)
      if isDirectory.boolValue {
        entries[name + "/"] = .some(nil)
      } else {
        entries[name] = .some(FileManager.default.contents(atPath: base + "/" + name).map { Array($0) })
      }
    }
    return entries
  }

  func remove() { try? FileManager.default.removeItem(atPath: root) }
}
