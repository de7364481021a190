import Foundation
import GooseFSUFS
import Testing

/// The x-amz-date form, checked through the signer (the timestamp type itself is internal).
@Suite struct SigningTimestampTests {
  private func amzDate(_ epochSeconds: Double) throws -> String {
    let signer = AWSSigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"), region: "r")
    var request = HTTPRequest(method: "GET", scheme: "https", host: "h", path: "/")
    try signer.sign(&request, at: Date(timeIntervalSince1970: epochSeconds))
    return try #require(request.header("x-amz-date"))
  }

  @Test func formatsUTCInstants() throws {
    #expect(try amzDate(0) == "19700101T000000Z")
    #expect(try amzDate(1_369_353_600) == "20130524T000000Z")
    #expect(try amzDate(1_440_938_160) == "20150830T123600Z")
    #expect(try amzDate(951_782_400) == "20000229T000000Z")  // leap day of a year divisible by 400
    #expect(try amzDate(4_102_444_799) == "20991231T235959Z")
    #expect(try amzDate(4_107_542_400) == "21000301T000000Z")  // 2100 is not a leap year
    #expect(try amzDate(1_700_000_000.999) == "20231114T221320Z")  // fractions dropped, not rounded
  }

  @Test func agreesWithFoundationForManyInstants() throws {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    var seconds = 0.0
    while seconds < 5_000_000_000 {
      #expect(try amzDate(seconds) == formatter.string(from: Date(timeIntervalSince1970: seconds)))
      seconds += 86_400 * 97 + 3_661
    }
  }
}
