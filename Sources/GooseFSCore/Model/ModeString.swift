/// `rwxr-xr-x` renderings of permission bits, as `ls` and error messages print them.
public enum ModeString {
  public static func permissions(_ mode: UInt32) -> String {
    let symbols: [Character] = ["r", "w", "x"]
    var text = ""
    for shift in stride(from: 6, through: 0, by: -3) {
      let bits = (mode >> UInt32(shift)) & 7
      for (index, symbol) in symbols.enumerated() {
        text.append(bits & (4 >> UInt32(index)) != 0 ? symbol : "-")
      }
    }
    return text
  }
}
