import CGooseFSHTTP
import NIOCore

/// SHA-1 / SHA-256 and their HMACs from OpenSSL's libcrypto, which the HTTP transport links
/// anyway (libcurl needs it), so signing adds no second crypto library.
///
/// Only OpenSSL's one-shot functions are used (`SHA256`, `SHA1`, `HMAC`): they are not deprecated
/// in OpenSSL 3, keep no state between calls (so they are safe from any thread) and write straight
/// into the result array.
public enum Digest {
  /// SHA-256 of the empty string, the payload hash of every body-less request.
  public static let emptySHA256Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  // MARK: SHA-256

  public static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    withNonNullBase(bytes) { base, count in
      [UInt8](unsafeUninitializedCapacity: Int(SHA256_DIGEST_LENGTH)) { output, initialized in
        _ = SHA256(base, count, output.baseAddress)
        initialized = Int(SHA256_DIGEST_LENGTH)
      }
    }
  }

  public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
    bytes.withUnsafeBytes { sha256($0) }
  }

  /// Hashes the readable bytes in place (no copy), as the payload hash of a request body.
  public static func sha256(_ buffer: ByteBuffer) -> [UInt8] {
    buffer.withUnsafeReadableBytes { sha256($0) }
  }

  /// Hashes the UTF-8 bytes of `text` (canonical requests, HTTP strings).
  public static func sha256(_ text: String) -> [UInt8] {
    withUTF8Bytes(of: text) { sha256($0) }
  }

  // MARK: SHA-1

  public static func sha1(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    withNonNullBase(bytes) { base, count in
      [UInt8](unsafeUninitializedCapacity: Int(SHA_DIGEST_LENGTH)) { output, initialized in
        _ = SHA1(base, count, output.baseAddress)
        initialized = Int(SHA_DIGEST_LENGTH)
      }
    }
  }

  public static func sha1(_ bytes: [UInt8]) -> [UInt8] {
    bytes.withUnsafeBytes { sha1($0) }
  }

  public static func sha1(_ text: String) -> [UInt8] {
    withUTF8Bytes(of: text) { sha1($0) }
  }

  // MARK: HMAC

  public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
    data.withUnsafeBytes { hmac(EVP_sha256(), key: key, data: $0, length: Int(SHA256_DIGEST_LENGTH)) }
  }

  public static func hmacSHA256(key: [UInt8], data: String) -> [UInt8] {
    withUTF8Bytes(of: data) { hmac(EVP_sha256(), key: key, data: $0, length: Int(SHA256_DIGEST_LENGTH)) }
  }

  public static func hmacSHA1(key: [UInt8], data: [UInt8]) -> [UInt8] {
    data.withUnsafeBytes { hmac(EVP_sha1(), key: key, data: $0, length: Int(SHA_DIGEST_LENGTH)) }
  }

  public static func hmacSHA1(key: [UInt8], data: String) -> [UInt8] {
    withUTF8Bytes(of: data) { hmac(EVP_sha1(), key: key, data: $0, length: Int(SHA_DIGEST_LENGTH)) }
  }

  // MARK: Hex

  /// Lower-case hex, the form both SigV4 and COS put on the wire and feed into the next step.
  public static func hex(_ bytes: [UInt8]) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { output in
      var index = 0
      for byte in bytes {
        output[index] = hexDigit(byte >> 4)
        output[index + 1] = hexDigit(byte & 0x0F)
        index += 2
      }
      return index
    }
  }

  // MARK: Private

  private static func hmac(
    _ algorithm: OpaquePointer?, key: [UInt8], data: UnsafeRawBufferPointer, length: Int
  ) -> [UInt8] {
    key.withUnsafeBytes { keyBytes in
      withNonNullBase(keyBytes) { keyBase, keyCount in
        withNonNullBase(data) { dataBase, dataCount in
          [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
            var written: UInt32 = 0
            let result = HMAC(algorithm, keyBase, Int32(keyCount), dataBase, dataCount, output.baseAddress, &written)
            // HMAC only fails on allocation failure or an unknown digest; neither can be recovered
            // from here, and a wrong signature would be silently rejected by the server later.
            precondition(result != nil && Int(written) == length, "libcrypto HMAC failed")
            initialized = length
          }
        }
      }
    }
  }

  /// libcrypto may treat a NULL pointer as "no input" differently across versions; an empty
  /// buffer is therefore passed as a pointer to a harmless byte with length 0.
  private static func withNonNullBase<Result>(
    _ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>, Int) -> Result
  ) -> Result {
    if let base = bytes.baseAddress, bytes.count > 0 {
      return body(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }
    var placeholder: UInt8 = 0
    return withUnsafePointer(to: &placeholder) { body($0, 0) }
  }

  private static func withUTF8Bytes<Result>(of text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    var text = text
    return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
  }

  private static func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
  }
}
