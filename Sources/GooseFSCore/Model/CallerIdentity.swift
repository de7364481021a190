/// Who is making a request. The FUSE daemon runs as root on behalf of other users, so every call
/// carries this identity; with SIMPLE authentication the master trusts it.
public struct CallerIdentity: Sendable, Equatable {
  public var user: String
  public var groups: [String]

  public init(user: String, groups: [String]) {
    self.user = user
    self.groups = groups
  }

  public var primaryGroup: String { groups.first ?? user }
}
