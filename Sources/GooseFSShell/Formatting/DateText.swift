import Foundation

/// Renders epoch milliseconds with a Java `SimpleDateFormat` pattern
/// (`goosefs.user.date.format.pattern`, default `MM-dd-yyyy HH:mm:ss:SSS`).
/// Implemented by hand so that the output does not depend on the ICU version or locale.
/// Supported letters: y M d H h k K m s S a E; text in single quotes is literal.
enum DateText {
  static let defaultPattern = "MM-dd-yyyy HH:mm:ss:SSS"

  static func format(milliseconds: Int64, pattern: String, timeZone: TimeZone) -> String {
    let seconds = Double(milliseconds.floorDivided(by: 1000))
    let millis = Int(milliseconds - milliseconds.floorDivided(by: 1000) * 1000)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let parts = calendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second, .weekday],
      from: Date(timeIntervalSince1970: seconds))

    var output = ""
    let characters = Array(pattern)
    var index = 0
    while index < characters.count {
      let letter = characters[index]
      if letter == "'" {
        // Quoted literal; '' is a single quote.
        var end = index + 1
        if end < characters.count, characters[end] == "'" {
          output.append("'")
          index = end + 1
          continue
        }
        while end < characters.count, characters[end] != "'" {
          output.append(characters[end])
          end += 1
        }
        index = end + 1
        continue
      }
      guard letter.isLetter, letter.isASCII else {
        output.append(letter)
        index += 1
        continue
      }
      var run = 1
      while index + run < characters.count, characters[index + run] == letter { run += 1 }
      index += run

      let hour = parts.hour ?? 0
      switch letter {
      case "y":
        let year = parts.year ?? 1970
        output += run == 2 ? pad(year % 100, 2) : pad(year, run)
      case "M":
        let month = parts.month ?? 1
        if run >= 4 {
          output += monthNames[month - 1]
        } else if run == 3 {
          output += String(monthNames[month - 1].prefix(3))
        } else {
          output += pad(month, run)
        }
      case "d": output += pad(parts.day ?? 1, run)
      case "H": output += pad(hour, run)
      case "k": output += pad(hour == 0 ? 24 : hour, run)
      case "K": output += pad(hour % 12, run)
      case "h": output += pad(hour % 12 == 0 ? 12 : hour % 12, run)
      case "m": output += pad(parts.minute ?? 0, run)
      case "s": output += pad(parts.second ?? 0, run)
      case "S": output += pad(millis, run)
      case "a": output += hour < 12 ? "AM" : "PM"
      case "E":
        let name = dayNames[(parts.weekday ?? 1) - 1]
        output += run >= 4 ? name : String(name.prefix(3))
      default:
        // Unsupported letters are printed verbatim rather than guessed.
        output += String(repeating: letter, count: run)
      }
    }
    return output
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  private static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
  private static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
}

extension Int64 {
  /// Division rounding towards negative infinity (dates before 1970 keep positive millis).
  fileprivate func floorDivided(by divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }
}
