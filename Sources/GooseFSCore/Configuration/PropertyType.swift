import Foundation

/// The form a property value must have. Validation and the typed getters share this so an
/// invalid value is reported the same way wherever it is first noticed.
public indirect enum PropertyType: Sendable, Hashable {
  case string
  case integer
  case boolean
  case double
  case byteSize
  case duration
  /// Accepted case-insensitively; the listed spelling is canonical.
  case enumeration([String])
  /// A POSIX permission mask written in octal, such as `022`.
  case octalMode
  /// Comma-separated; empty entries are skipped (Fluid renders lists with a leading comma).
  case list(PropertyType)

  /// Words that finish the sentence "expected …" in validation messages.
  public var expectedForm: String {
    switch self {
    case .string: "any text"
    case .integer: "an integer such as 9200"
    case .boolean: "true or false"
    case .double: "a decimal number such as 0.95"
    case .byteSize: "a byte size such as 128MB, 5G or 1048576"
    case .duration: "a duration such as 500ms, 30sec, 10min, 1hour, 2day or -1"
    case .enumeration(let values): "one of " + values.joined(separator: ", ")
    case .octalMode: "an octal permission mask such as 022"
    case .list(let element): "a comma-separated list of values, each " + element.expectedForm
    }
  }

  /// Whether `text` is a well-formed value of this type.
  public func accepts(_ text: String) -> Bool {
    switch self {
    case .string:
      return true
    case .integer:
      return Int(PropertyValueParsing.trim(text)) != nil
    case .boolean:
      return PropertyValueParsing.boolean(text) != nil
    case .double:
      return PropertyValueParsing.double(text) != nil
    case .byteSize:
      return (try? ByteSize.parse(text)) != nil
    case .duration:
      return (try? TimeDuration.parseMilliseconds(text)) != nil
    case .enumeration(let values):
      return PropertyValueParsing.enumeration(text, values) != nil
    case .octalMode:
      return PropertyValueParsing.octalMode(text) != nil
    case .list(let element):
      return PropertyValueParsing.listEntries(text).allSatisfy { element.accepts($0) }
    }
  }
}

/// Small parsers for the value forms that have no type of their own.
enum PropertyValueParsing {
  static func boolean(_ text: String) -> Bool? {
    switch trim(text).lowercased() {
    case "true": true
    case "false": false
    default: nil
    }
  }

  /// Rejects `nan` and `inf`, which Swift would otherwise accept: no GooseFS ratio means that.
  static func double(_ text: String) -> Double? {
    guard let value = Double(trim(text)), value.isFinite else { return nil }
    return value
  }

  static func enumeration(_ text: String, _ values: [String]) -> String? {
    let wanted = trim(text).uppercased()
    return values.first { $0.uppercased() == wanted }
  }

  static func octalMode(_ text: String) -> Int? {
    let digits = trim(text)
    guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ "01234567".contains($0) }) else {
      return nil
    }
    return Int(digits, radix: 8)
  }

  /// Leading and trailing whitespace never matters in a property value.
  static func trim(_ text: some StringProtocol) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  static func listEntries(_ text: String) -> [String] {
    text.split(separator: ",", omittingEmptySubsequences: false)
      .map { trim($0) }
      .filter { !$0.isEmpty }
  }
}

