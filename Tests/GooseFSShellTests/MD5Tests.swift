import Foundation
import Testing

@testable import GooseFSShell

@Suite struct MD5Tests {
  /// RFC 1321, appendix A.5.
  @Test(arguments: [
    ("", "d41d8cd98f00b204e9800998ecf8427e"),
    ("a", "0cc175b9c0f1b6a831c399e269772661"),
    ("abc", "900150983cd24fb0d6963f7d28e17f72"),
    ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
    ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
    (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
  ])
  func rfc1321Vectors(input: String, expected: String) {
    #expect(MD5.hex(of: Array(input.utf8)) == expected)
  }

  /// Lengths around the 56- and 64-byte padding boundaries, fed in uneven pieces, must give
  /// the digest of the whole.
  @Test func incrementalUpdatesMatchOneShot() {
    var generator = SystemRandomNumberGenerator()
    for length in [55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      var digest = MD5()
      var offset = 0
      var piece = 1
      while offset < bytes.count {
        let end = min(offset + piece, bytes.count)
        digest.update(bytes[offset..<end])
        offset = end
        piece = piece * 3 % 67 + 1
      }
      #expect(digest.hexDigest() == MD5.hex(of: bytes), "length \(length)")
    }
  }

  /// Cross-check with the system's md5sum when it exists.
  @Test func matchesSystemMd5sum() throws {
    let tool = "/usr/bin/md5sum"
    guard FileManager.default.isExecutableFile(atPath: tool) else { return }
    let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("md5-\(UUID().uuidString)")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = [file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    process.waitUntilExit()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(output.split(separator: " ").first.map(String.init) == MD5.hex(of: bytes))
  }
}
