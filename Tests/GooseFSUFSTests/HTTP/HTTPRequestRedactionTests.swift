import GooseFSUFS
import Testing

@Suite("HTTPRequest redaction")
struct HTTPRequestRedactionTests {
  @Test func debugDescriptionShowsNamesButNoSecrets() {
    let request = HTTPRequest(
      method: "PUT", scheme: "https", host: "bucket.cos.ap-guangzhou.myqcloud.com", path: "/dir/a file",
      query: [("partNumber", "1"), ("X-Amz-Signature", "sig-secret"), ("X-Amz-Security-Token", "token-secret")],
      headers: [("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/secret"), ("x-amz-date", "20240101T000000Z"),
                ("x-cos-security-token", "session-secret")])
    let text = request.redactedDescription
    #expect(text == "PUT https://bucket.cos.ap-guangzhou.myqcloud.com/dir/a%20file?partNumber=1&X-Amz-Signature=<redacted>&X-Amz-Security-Token=<redacted> headers: [Authorization: <redacted>, x-amz-date, x-cos-security-token]")
    #expect(!text.contains("secret"))
    #expect(!text.contains("20240101"))
  }
}
