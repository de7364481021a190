// Fresh private folders for reference trees, tarballs and tests. mkdtemp creates them 0700;
// they are opened to 0755 because the permission checks run commands as `nobody`, which must
// be able to traverse every ancestor of the folder under test.
import Glibc

public enum ScratchDirectory {
  /// Creates `<parent>/<prefix>XXXXXX` with the given mode and returns its path.
  public static func create(
    prefix: String, in parent: String = "/tmp", mode: mode_t = 0o755
  ) throws(PosixError) -> String {
    var template = Array(FileTree.join(parent, prefix + "XXXXXX").utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard let created else { throw PosixError("mkdtemp", parent, errno) }
    let path = String(cString: created)
    // chmod, not the umask-filtered mkdir mode, so the result does not depend on the umask.
    if let code = Sys.chmod(path, mode).errorCode { throw PosixError("chmod", path, code) }
    return path
  }

  /// Creates (or empties) `<parent>/<name>` as a directory with the given mode. Used by the
  /// checks to get a clean working folder under the root that is being tested.
  public static func fresh(_ name: String, in parent: String, mode: mode_t = 0o755) throws(PosixError) -> String {
    let path = FileTree.join(parent, name)
    try FileTree.remove(path)
    if let code = Sys.mkdir(path, mode).errorCode { throw PosixError("mkdir", path, code) }
    if let code = Sys.chmod(path, mode).errorCode { throw PosixError("chmod", path, code) }
    return path
  }
}
