import CGooseFSHTTP
import Foundation

/// The `Content-MD5` header value (base64 of the body's MD5). S3 and COS require it (or an
/// x-amz-checksum-* header) on multi-object delete, to catch a body corrupted in transit.
enum ContentMD5 {
  static func base64(of bytes: [UInt8]) -> String {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let ok = bytes.withUnsafeBytes { input in
      EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_md5(), nil)
    }
    // EVP_Digest fails only on allocation failure or a FIPS-only libcrypto without MD5; the
    // store then rejects the request with a clear error rather than us crashing here.
    guard ok == 1 else { return "" }
    return Data(digest.prefix(Int(length))).base64EncodedString()
  }
}
