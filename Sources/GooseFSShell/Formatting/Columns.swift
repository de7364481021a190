/// Java `String.format` padding: `%-Ns` pads on the right, `%Ns` on the left, and neither ever
/// truncates. Fluid splits our output on whitespace, so this must match exactly.
enum Columns {
  /// `%-Ns`
  static func left(_ text: String, _ width: Int) -> String {
    let count = text.count
    return count >= width ? text : text + String(repeating: " ", count: width - count)
  }

  /// `%Ns`
  static func right(_ text: String, _ width: Int) -> String {
    let count = text.count
    return count >= width ? text : String(repeating: " ", count: width - count) + text
  }
}
