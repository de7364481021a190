import GooseFSUFS
import NIOCore
import Testing

/// Known answers from the standards: FIPS 180-2 ("abc"), RFC 4231 (HMAC-SHA-256), RFC 2202
/// (HMAC-SHA-1).
@Suite struct DigestTests {
  @Test func sha256KnownAnswers() {
    #expect(Digest.hex(Digest.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(Digest.hex(Digest.sha256([UInt8]())) == Digest.emptySHA256Hex)
    #expect(Digest.hex(Digest.sha256("")) == Digest.emptySHA256Hex)
    #expect(
      Digest.hex(Digest.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func sha256OverloadsAgree() {
    let bytes = Array("Welcome to Amazon S3.".utf8)
    let expected = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
    #expect(Digest.hex(Digest.sha256(bytes)) == expected)
    #expect(Digest.hex(bytes.withUnsafeBytes { Digest.sha256($0) }) == expected)
    var buffer = ByteBufferAllocator().buffer(capacity: 64)
    buffer.writeString("ignored prefix")
    buffer.moveReaderIndex(forwardBy: 14)  // only the readable bytes are hashed
    buffer.writeBytes(bytes)
    #expect(Digest.hex(Digest.sha256(buffer)) == expected)
    #expect(Digest.hex(Digest.sha256(ByteBuffer())) == Digest.emptySHA256Hex)
  }

  @Test func sha1KnownAnswers() {
    #expect(Digest.hex(Digest.sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    #expect(Digest.hex(Digest.sha1([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
  }

  @Test func hmacSHA256RFC4231() {
    // Test case 1.
    #expect(
      Digest.hex(Digest.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8)))
        == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    // Test case 2.
    #expect(
      Digest.hex(Digest.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    // The String overload hashes the same bytes.
    #expect(
      Digest.hmacSHA256(key: Array("Jefe".utf8), data: "what do ya want for nothing?")
        == Digest.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)))
  }

  @Test func hmacSHA1RFC2202() {
    #expect(
      Digest.hex(Digest.hmacSHA1(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8)))
        == "b617318655057264e28bc0b6fb378c8ef146be00")
    #expect(
      Digest.hex(Digest.hmacSHA1(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)))
        == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    // Test case 6: a key longer than the block size is hashed first.
    #expect(
      Digest.hex(
        Digest.hmacSHA1(
          key: [UInt8](repeating: 0xaa, count: 80),
          data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
        == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
  }

  @Test func hexIsLowerCaseAndPadded() {
    #expect(Digest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    #expect(Digest.hex([]) == "")
  }
}
