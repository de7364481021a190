import GooseFSCore

import Foundation

/// Authenticates requests to an object store. The adapter builds an `HTTPRequest` with every
/// header it wants covered, signs it right before each attempt (a retry is signed again, so the
/// date stays fresh) and hands it to the transport unchanged.
///
/// `description` is for logs and must never show a secret.
public protocol RequestSigner: Sendable, CustomStringConvertible {
  /// Adds the authentication headers to `request` for the instant `date`.
  func sign(_ request: inout HTTPRequest, at date: Date) throws
}

/// Helpers shared by the signers.
enum SigningSupport {
  /// An identifier shown in descriptions: enough of its start to tell keys apart in a log, never
  /// the whole value (access key IDs are not secret, but a full one helps an attacker guess
  /// which account a leaked secret belongs to).
  static func redactedIdentifier(_ identifier: String) -> String {
    identifier.count <= 8 ? "<redacted>" : "\(identifier.prefix(4))…"
  }

  /// Byte-wise ordering of UTF-8, the order both SigV4 and COS sort names in. (Swift's `<` on
  /// `String` compares Unicode canonical forms, which differs from byte order outside ASCII.)
  static func utf8Less(_ left: String, _ right: String) -> Bool {
    left.utf8.lexicographicallyPrecedes(right.utf8)
  }

  /// A header line broken by CR or LF would be a different canonical request from the one the
  /// server rebuilds (and a header injection on the wire), so it is refused before signing.
  static func checkNoLineBreaks(_ request: HTTPRequest) throws {
    for header in request.headers {
      if header.name.utf8.contains(where: isLineBreak) || header.value.utf8.contains(where: isLineBreak) {
        throw GooseFSError(.invalidArgument, "HTTP header \"\(header.name)\" contains a line break and cannot be signed")
      }
    }
  }

  private static func isLineBreak(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
  }
}
