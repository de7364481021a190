import Foundation
import GooseFSCore

/// The data-path settings of a client, read once from its configuration.
struct ClientDataSettings: Sendable {
  var hostname: String
  var readType: ReadType
  var writeType: WriteType
  var blockSizeBytes: Int64
  var shortCircuitEnabled: Bool
  /// Bytes asked per READ frame sequence; sequential readers fetch this much ahead.
  var readChunkBytes: Int
  /// No frame from a worker for this long fails the read over to another worker.
  var dataTimeout: Duration
  var workerListRefresh: Duration
  var persistPoll: Duration
  var leaseLimits: LocalLeaseLimits
  /// Bytes read short-circuit are reported to the master at most this often (`goosefs.user.metrics.heartbeat.interval`).
  var metricsInterval: Duration

  init(_ configuration: Configuration) throws {
    let configured = configuration.string(PropertyKeys.userHostname)
    hostname = configured.isEmpty ? ProcessInfo.processInfo.hostName : configured
    let readText = configuration.string(PropertyKeys.userFileReadtypeDefault)
    guard let readType = ReadType(userText: readText) else {
      throw GooseFSError(
        .invalidArgument,
        "Invalid value \"\(readText)\" for \(PropertyKeys.userFileReadtypeDefault.name): expected NO_CACHE, CACHE or CACHE_PROMOTE.")
    }
    self.readType = readType
    let writeText = configuration.string(PropertyKeys.userFileWritetypeDefault)
    guard let writeType = WriteType(userText: writeText) else {
      throw GooseFSError(
        .invalidArgument,
        "Invalid value \"\(writeText)\" for \(PropertyKeys.userFileWritetypeDefault.name): expected one of "
          + WriteType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
    self.writeType = writeType
    blockSizeBytes = try configuration.bytes(PropertyKeys.userBlockSizeBytesDefault)
    shortCircuitEnabled = try configuration.bool(PropertyKeys.userShortCircuitEnabled)
    readChunkBytes = Int(min(max(1 << 20, try configuration.bytes(PropertyKeys.userStreamingReaderChunkSizeBytes)), 64 << 20))
    dataTimeout = .milliseconds(max(100, try configuration.milliseconds(PropertyKeys.userStreamingDataTimeout)))
    workerListRefresh = .milliseconds(max(100, try configuration.milliseconds(PropertyKeys.userWorkerListRefreshInterval)))
    persistPoll = .milliseconds(max(10, try configuration.milliseconds(PropertyKeys.userFileWaitcompletedPoll)))
    let maxIdle = try configuration.int(PropertyKeys.userShortCircuitLeasesMax)
    let maxIdleBytes = try configuration.bytes(PropertyKeys.userShortCircuitLeasesMaxBytes)
    guard maxIdle >= 1, maxIdleBytes >= 1 else {
      throw GooseFSError(
        .invalidArgument,
        "\(PropertyKeys.userShortCircuitLeasesMax.name) and \(PropertyKeys.userShortCircuitLeasesMaxBytes.name) must be positive.")
    }
    leaseLimits = LocalLeaseLimits(
      maxIdle: maxIdle, maxIdleBytes: maxIdleBytes,
      idleTime: .milliseconds(max(10, try configuration.milliseconds(PropertyKeys.userShortCircuitLeaseIdleTime))))
    metricsInterval = .milliseconds(max(0, try configuration.milliseconds(PropertyKeys.userMetricsHeartbeatInterval)))
  }
}
