import GRPCCore
import GooseFSCore

extension CallerIdentity {
  public static let userKey = "goosefs-user"
  public static let groupsKey = "goosefs-groups"

  public var metadata: Metadata {
    var metadata: Metadata = [:]
    metadata.addString(user, forKey: Self.userKey)
    metadata.addString(groups.joined(separator: ","), forKey: Self.groupsKey)
    return metadata
  }

  /// Reads the identity a client sent. A call without one is refused: every client of ours sends
  /// it, and guessing (e.g. "the master's user") would grant superuser rights by omission.
  public init(metadata: Metadata) throws {
    guard let user = metadata[stringValues: Self.userKey].first(where: { _ in true }), !user.isEmpty else {
      throw GooseFSError(.permissionDenied, "The request carries no caller identity (metadata \(Self.userKey)).")
    }
    let groups = metadata[stringValues: Self.groupsKey].first(where: { _ in true }) ?? ""
    self.init(user: user, groups: groups.split(separator: ",").map(String.init).filter { !$0.isEmpty })
  }
}
