/// `-Dk=v` tokens (Java system properties) may appear anywhere on a goosefs command line, e.g.
/// `goosefs fs -Dgoosefs.user.file.metadata.sync.interval=0 ls -R /`; Fluid relies on both
/// positions. They are split off before the configuration is loaded, so they apply to this
/// invocation only.
public enum SystemProperties {
  /// Separates `-Dk=v` tokens from the other arguments, keeping the order of both.
  /// `-Dk` without `=` sets `k` to the empty string, as the JVM does.
  public static func split(_ arguments: [String]) -> (properties: [(String, String)], remaining: [String]) {
    var properties: [(String, String)] = []
    var remaining: [String] = []
    for argument in arguments {
      guard argument.hasPrefix("-D"), argument.count > 2 else {
        remaining.append(argument)
        continue
      }
      let body = argument.dropFirst(2)
      if let equals = body.firstIndex(of: "=") {
        properties.append((String(body[..<equals]), String(body[body.index(after: equals)...])))
      } else {
        properties.append((String(body), ""))
      }
    }
    return (properties, remaining)
  }
}
