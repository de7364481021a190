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
    for (key, port) in [(PropertyKeys.workerRpcPort, rpcPort), (PropertyKeys.workerWebPort, webPort)] where !(0...65535).contains(port) {
      throw GooseFSError(.invalidArgument, "Invalid value \(port) for \(key.name): expected a port number (0…65535).")
    }
  }
}
