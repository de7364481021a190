import Foundation

/// Finds the directory holding `goosefs-site.properties` / `goosefs-env.sh`.
enum ConfigurationDirectory {
  static let siteFileName = "goosefs-site.properties"
  static let environmentFileName = "goosefs-env.sh"

  /// Directories to search, first match wins:
  /// `goosefs.site.conf.dir` when given as a system property (it must be known before the site
  /// file is read, as in Alluxio); else `$GOOSEFS_CONF_DIR`; else `$GOOSEFS_HOME/conf`; else
  /// `./conf`, `~/.goosefs`, `/etc/goosefs` and finally `/opt/goosefs/conf`, the default home,
  /// where Fluid's DataLoad job writes `goosefs-env.sh` without exporting GOOSEFS_HOME.
  static func candidates(
    siteConfDirs: [String],
    environment: [String: String],
    currentDirectory: String
  ) -> [String] {
    if !siteConfDirs.isEmpty { return siteConfDirs }
    if let confDir = nonEmpty(environment["GOOSEFS_CONF_DIR"]) { return [confDir] }
    if let home = nonEmpty(environment["GOOSEFS_HOME"]) { return [home + "/conf"] }
    var directories = [currentDirectory + "/conf"]
    if let userHome = nonEmpty(environment["HOME"]) { directories.append(userHome + "/.goosefs") }
    directories.append("/etc/goosefs")
    if let defaultHome = PropertyKeys.home.defaultValue { directories.append(defaultHome + "/conf") }
    return directories
  }

  /// The first candidate containing either file.
  static func locate(in candidates: [String]) -> String? {
    let files = FileManager.default
    return candidates.first { directory in
      files.fileExists(atPath: directory + "/" + siteFileName)
        || files.fileExists(atPath: directory + "/" + environmentFileName)
    }
  }

  /// The file's text, nil when it does not exist; any other failure to read it is an error,
  /// since running with half the intended configuration is worse than not starting.
  static func read(_ path: String) throws -> String? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw GooseFSError(.ioError, "Cannot read configuration file \(path): \(error.localizedDescription)")
    }
  }

  private static func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
  }
}
