/// Names of the hidden files that local output streams write before renaming into place.
///
/// Listings skip them so that metadata sync never loads a half-written file into the namespace;
/// a crash can leave one behind, and it stays invisible until someone cleans the folder.
enum LocalTemporaryName {
  private static let marker = ".goosefs-"
  private static let suffix = ".tmp"

  /// `.<name>.goosefs-<random>.tmp`, in the same directory so the final rename stays on one
  /// file system (and is therefore atomic). The name part is trimmed to keep under NAME_MAX.
  static func make(for name: String) -> String {
    let trimmed = String(decoding: name.utf8.prefix(160), as: UTF8.self)
    let nonce = String(UInt64.random(in: .min ... .max), radix: 16)
    return ".\(trimmed)\(marker)\(nonce)\(suffix)"
  }

  static func isTemporary(_ name: String) -> Bool {
    name.hasPrefix(".") && name.hasSuffix(suffix) && name.contains(marker)
  }
}
