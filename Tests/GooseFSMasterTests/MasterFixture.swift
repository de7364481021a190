import Foundation
import GooseFSCore
import GooseFSJournal
import GooseFSUFS
import Logging

@testable import GooseFSMaster

/// A master built in-process over a real journal folder and a real local under store.
struct MasterFixture {
  let root: URL
  let ufsRoot: URL
  let journalFolder: String
  let superuser = CallerIdentity(user: "root", groups: ["root"])

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("master-test-\(UUID().uuidString)")
    ufsRoot = root.appendingPathComponent("ufs")
    journalFolder = root.appendingPathComponent("journal").path
    try FileManager.default.createDirectory(at: ufsRoot, withIntermediateDirectories: true)
  }

  func cleanUp() {
    try? FileManager.default.removeItem(at: root)
  }

  /// Opens the journal, replays it, bootstraps: exactly what the master process does.
  func open(checkpointPeriod: Int = 1_000_000, permissions: Bool = true, syncIntervalMs: Int64 = -1) async throws -> (FileSystemMaster, JournaledNamespace) {
    var logger = Logger(label: "test")
    logger.logLevel = .error
    let (journal, recovery) = try UFSJournal.open(folder: journalFolder, options: JournalOptions(), logger: logger)
    let state = try MasterProcess.replay(recovery)
    let namespace = JournaledNamespace(state: state, journal: journal, checkpointPeriodEntries: checkpointPeriod, logger: logger)
    let master = FileSystemMaster(
      namespace: namespace, ufsManager: UFSManager(registry: .standard),
      permissions: PermissionChecker(enabled: permissions, superuser: "root", supergroup: "supergroup"),
      settings: NamespaceSettings(defaultBlockSizeBytes: 64 << 20, defaultSyncIntervalMs: syncIntervalMs, umask: 0o022, listPageSize: 100),
      logger: logger)
    try await master.bootstrap(rootUFS: ufsRoot.path, rootOptions: [:], readOnly: false, shared: true, superuser: superuser)
    return (master, namespace)
  }

  func write(_ relativePath: String, _ contents: String) throws {
    let url = ufsRoot.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url)
  }

  func ufsExists(_ relativePath: String) -> Bool {
    FileManager.default.fileExists(atPath: ufsRoot.appendingPathComponent(relativePath).path)
  }
}
