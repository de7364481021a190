/// Authentication, POSIX permissions and impersonation.
extension PropertyKeys {
  public static let securityAuthenticationType = PropertyKey(
    "goosefs.security.authentication.type", default: "SIMPLE", .enumeration(["SIMPLE", "NOSASL", "CUSTOM"]),
    "NOSASL: no identity. SIMPLE: the client's login user is trusted. CUSTOM: treated like SIMPLE.")
  public static let securityAuthorizationPermissionEnabled = PropertyKey(
    "goosefs.security.authorization.permission.enabled", default: "true", .boolean,
    "Check POSIX permissions (Fluid sets false).")
  public static let securityAuthorizationPermissionUmask = PropertyKey(
    "goosefs.security.authorization.permission.umask", default: "022", .octalMode, "Umask of new files and directories.")
  public static let securityAuthorizationPermissionSupergroup = PropertyKey(
    "goosefs.security.authorization.permission.supergroup", default: "supergroup", .string,
    "Members of this group bypass permission checks.")
  public static let securityLoginUsername = PropertyKey(
    "goosefs.security.login.username", default: nil, .string, "User name to log in as (default: the OS user).")
  public static let securityLoginImpersonationUsername = PropertyKey(
    "goosefs.security.login.impersonation.username", default: "_HDFS_USER_", .string,
    "User a Hadoop client impersonates; _HDFS_USER_ means the Hadoop user, _NONE_ disables it.")
  public static let securityStaleChannelPurgeInterval = PropertyKey(
    "goosefs.security.stale.channel.purge.interval", default: "3day", .duration,
    "Authenticated channels idle this long are forgotten.")

  /// `goosefs.master.security.impersonation.<user>.users`: users `<user>` may act as (`*`: any).
  public static func masterSecurityImpersonationUsers(_ user: String) -> PropertyKey {
    impersonationTemplates[0].make(user)
  }

  /// `goosefs.master.security.impersonation.<user>.groups`: groups whose members `<user>` may act as.
  public static func masterSecurityImpersonationGroups(_ user: String) -> PropertyKey {
    impersonationTemplates[1].make(user)
  }

  private static let impersonationPrefix = "goosefs.master.security.impersonation."

  static let impersonationTemplates: [PropertyKeyTemplate] = [".users", ".groups"].map { suffix in
    PropertyKeyTemplate(prefix: impersonationPrefix, suffix: suffix, segment: .name) { user in
      PropertyKey(
        impersonationPrefix + user + suffix, default: nil, .list(.string),
        "Comma-separated \(suffix.dropFirst()) that user \(user) may impersonate; * for all. Fluid sets both to * for root.")
    }
  }

  static let securityKeys: [PropertyKey] = [
    securityAuthenticationType, securityAuthorizationPermissionEnabled, securityAuthorizationPermissionUmask,
    securityAuthorizationPermissionSupergroup, securityLoginUsername, securityLoginImpersonationUsername,
    securityStaleChannelPurgeInterval, masterSecurityImpersonationUsers("root"),
    masterSecurityImpersonationGroups("root"),
  ]
}
