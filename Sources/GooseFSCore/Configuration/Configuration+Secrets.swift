/// Secrets never appear in output: anything that prints configuration masks values through here.
extension Configuration {
  /// Replacement text for a secret value.
  public static let maskedValue = "******"

  private static let secretNameFragments = ["secret", "password", "accesskey", "access.key", "credential", "token"]

  /// Whether `name` holds a secret: registered as one, or named like one (which catches the
  /// many vendor spellings such as `fs.cosn.userinfo.secretId` without listing them all).
  public static func isSecret(_ name: String) -> Bool {
    if PropertyKeys.find(name)?.isSecret == true { return true }
    let lowercased = name.lowercased()
    return secretNameFragments.contains(where: lowercased.contains) || lowercased.hasSuffix("secretid")
  }

  /// `value`, or `******` when `name` is a secret.
  public static func mask(name: String, value: String) -> String {
    isSecret(name) ? maskedValue : value
  }
}
