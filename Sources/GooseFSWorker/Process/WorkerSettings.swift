import Foundation
import GooseFSCore

/// What the worker process reads from configuration once at start-up.
struct WorkerSettings: Sendable {
  var hostname: String
  var containerHostname: String
  var bindHost: String
  var rpcPort: Int
  var webBindHost: String
  var webPort: Int
  var heartbeatInterval: Duration
  /// Data frames sent to readers (goosefs.user.network.data.transfer.chunk.size).
  var chunkSize: Int
  /// Reads from the under store on a miss go in pieces of this size.
  var ufsReadSize: Int
  /// Limits (docs/configuration.md, "Limits").
  var blockIOThreads: Int
  var maxConnections: Int
  var asyncCacheThreads: Int
  var asyncCacheQueue: Int
  var ufsInputStreams: Int
  var persistQueue: Int

  init(_ configuration: Configuration) throws {
    let configured = configuration.string(PropertyKeys.workerHostname)
    hostname = configured.isEmpty ? ProcessInfo.processInfo.hostName : configured
    containerHostname = configuration.string(PropertyKeys.workerContainerHostname)
    bindHost = configuration.string(PropertyKeys.workerBindHost)
    rpcPort = try configuration.int(PropertyKeys.workerRpcPort)
    webBindHost = configuration.string(PropertyKeys.workerWebBindHost)
    webPort = try configuration.int(PropertyKeys.workerWebPort)
    heartbeatInterval = .milliseconds(max(10, try configuration.milliseconds(PropertyKeys.workerBlockHeartbeatInterval)))
    chunkSize = Int(min(max(64 * 1024, try configuration.bytes(PropertyKeys.userNetworkDataTransferChunkSize)), 4 << 20))
    ufsReadSize = 4 << 20
    blockIOThreads = try Self.limit(configuration, PropertyKeys.workerBlockIOThreads)
    maxConnections = try Self.limit(configuration, PropertyKeys.workerNetworkConnectionsMax)
    asyncCacheThreads = try Self.limit(configuration, PropertyKeys.workerAsyncCacheThreadsMax)
    asyncCacheQueue = try Self.limit(configuration, PropertyKeys.workerAsyncCacheQueueMax)
    ufsInputStreams = try Self.limit(configuration, PropertyKeys.workerUfsInstreamCacheMaxSize)
    persistQueue = try Self.limit(configuration, PropertyKeys.workerPersistQueueMax)
    for (key, port) in [(PropertyKeys.workerRpcPort, rpcPort), (PropertyKeys.workerWebPort, webPort)] where !(0...65535).contains(port) {
      throw GooseFSError(.invalidArgument, "Invalid value \(port) for \(key.name): expected a port number (0…65535).")
    }
  }

  /// A positive count: zero or less would make the worker refuse everything, so it is a mistake.
  static func limit(_ configuration: Configuration, _ key: PropertyKey) throws -> Int {
    let value = try configuration.int(key)
    guard value > 0 else {
      throw GooseFSError(.invalidArgument, "Invalid value \(value) for \(key.name): expected a positive number.")
    }
    return value
  }
}
