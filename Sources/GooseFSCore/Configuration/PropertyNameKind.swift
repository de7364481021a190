/// What a configured name is, which decides where its value goes: typed lookups, the root mount
/// options, or the list of ignored keys that the caller logs once.
enum PropertyNameKind: Equatable {
  /// In the registry (or one of its templates).
  case known
  /// `goosefs.master.mount.table.root.option.<k>`: option `<k>` of the root mount.
  case rootMountOption
  /// A credential or setting for an under storage, in Hadoop's namespace (`fs.cosn.*`, `s3a.*`, …).
  case underFileSystem
  /// A Java class (`*.impl`, `*.class`), an unknown `goosefs.*` key, or anything else.
  case ignored

  /// Prefixes of Hadoop/Alluxio UFS properties that are passed to the under storage as is.
  static let underFileSystemPrefixes = ["fs.", "s3a.", "aws.", "cos.", "cosn.", "oss.", "gcs."]

  init(_ name: String) {
    if PropertyNameKind.isJavaClassName(name) {
      self = .ignored
    } else if name.hasPrefix(PropertyKeys.masterMountTableRootOptionPrefix),
      name.count > PropertyKeys.masterMountTableRootOptionPrefix.count
    {
      self = .rootMountOption
    } else if !name.hasPrefix("goosefs."), PropertyNameKind.underFileSystemPrefixes.contains(where: name.hasPrefix) {
      self = .underFileSystem
    } else if PropertyKeys.find(name) != nil {
      self = .known
    } else {
      self = .ignored
    }
  }

  /// Java plumbing (`fs.cosn.impl`, `goosefs.worker.block.annotator.class`) that a Swift
  /// process cannot use; the behaviour it selects is built in.
  static func isJavaClassName(_ name: String) -> Bool {
    name.hasSuffix(".impl") || name.hasSuffix(".class")
  }
}
