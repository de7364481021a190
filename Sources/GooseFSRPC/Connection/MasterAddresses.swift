import Foundation
import GooseFSCore

/// A master's rpc endpoint.
public struct MasterAddress: Sendable, Equatable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  public var description: String { "\(host):\(port)" }

  /// Parses `host:port`; a bare host takes `defaultPort`.
  public init(parsing text: String, defaultPort: Int) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let colon = trimmed.lastIndex(of: ":") else {
      self.init(host: trimmed, port: defaultPort)
      return
    }
    guard let port = Int(trimmed[trimmed.index(after: colon)...]), (1...65535).contains(port) else {
      throw GooseFSError(.invalidArgument, "Invalid master address \"\(text)\": expected host:port.")
    }
    self.init(host: String(trimmed[..<colon]), port: port)
  }

  /// The masters a client tries, in order: goosefs.master.rpc.addresses, else
  /// goosefs.master.hostname with the rpc port, else the hosts of
  /// goosefs.master.embedded.journal.addresses with the rpc port (how Fluid's HA mode works).
  public static func resolve(_ configuration: Configuration) throws -> [MasterAddress] {
    let rpcPort = try configuration.int(PropertyKeys.masterRpcPort)
    let listed = configuration.list(PropertyKeys.masterRpcAddresses)
    if !listed.isEmpty {
      return try listed.map { try MasterAddress(parsing: $0, defaultPort: rpcPort) }
    }
    if let host = configuration.value(PropertyKeys.masterHostname) {
      return [MasterAddress(host: host, port: rpcPort)]
    }
    let journalPeers = configuration.list(PropertyKeys.masterEmbeddedJournalAddresses)
    if !journalPeers.isEmpty {
      return try journalPeers.map { MasterAddress(host: try MasterAddress(parsing: $0, defaultPort: rpcPort).host, port: rpcPort) }
    }
    return [MasterAddress(host: "localhost", port: rpcPort)]
  }
}
