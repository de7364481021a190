import Foundation

/// Helpers shared by the configuration tests; namespaced so other suites in this target can't clash.
enum ConfigurationTestSupport {
  /// A fresh empty directory under the system temporary directory.
  static func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "goosefs-conf-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  static func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  static func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// `docs/configuration.md` of the package that holds this test file.
  static var documentationPath: String {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()  // GooseFSCoreTests
      .deletingLastPathComponent()  // Tests
      .deletingLastPathComponent()  // package root
      .appendingPathComponent("docs/configuration.md").path
  }
}
