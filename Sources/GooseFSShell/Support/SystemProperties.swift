import GooseFSCore

/// `-Dk=v` tokens (Java system properties) may appear anywhere on a goosefs command line, e.g.
/// `goosefs fs -Dgoosefs.user.file.metadata.sync.interval=0 ls -R /`; Fluid relies on both
/// positions. They are split off before the configuration is loaded, so they apply to this
/// invocation only. The rules (`key=value` with a non-empty key; nothing after a lone `--`)
/// are the configuration module's, shared with the `*_JAVA_OPTS` parser.
enum SystemProperties {
  static func split(_ arguments: [String]) -> (properties: [(String, String)], remaining: [String]) {
    JavaOptions.extractSystemProperties(from: arguments)
  }
}
