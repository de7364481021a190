import CGooseFSFuse

/// The libfuse3 this daemon is linked with (for `goosefs-fuse stat` and start-up logs).
public enum FuseLibrary {
  public static var version: String { String(cString: fuse_pkgversion()) }
}
