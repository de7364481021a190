import Foundation
import GooseFSCore
import Logging
import Synchronization

/// Builds the signer, retry policy and transport for a location. Transports are shared per
/// process by their connection settings: a curl transport owns a connection pool and worker
/// thread, and every mount with the same limits can use the same pool.
enum ObjectStoreConnections {
  struct TransportKey: Hashable {
    var maxConnections: Int
    var connectTimeoutMilliseconds: Int64
  }

  private static let transports = Mutex<[TransportKey: any HTTPTransport]>([:])

  /// The shared transport for these settings, created on first use. Throws when libcurl cannot
  /// be set up (a broken installation), as `.unavailable`.
  static func transport(for tuning: ObjectStoreTuning, logger: Logger) throws -> any HTTPTransport {
    let key = TransportKey(
      maxConnections: tuning.maxConnections,
      connectTimeoutMilliseconds: tuning.connectTimeout.components.seconds * 1000
        + tuning.connectTimeout.components.attoseconds / 1_000_000_000_000_000)
    return try transports.withLock { cache in
      if let existing = cache[key] { return existing }
      var configuration = CurlTransportConfiguration()
      configuration.maxConnections = tuning.maxConnections
      configuration.maxConnectionsPerHost = tuning.maxConnections
      configuration.connectTimeout = tuning.connectTimeout
      let made: CurlHTTPTransport
      do {
        made = try CurlHTTPTransport(configuration: configuration, logger: logger)
      } catch let error as GooseFSError {
        throw error
      } catch {
        throw GooseFSError(.unavailable, "Cannot start the HTTP client for object stores: \(error)")
      }
      cache[key] = made
      return made
    }
  }

  static func signer(for location: ObjectStoreLocation) -> any RequestSigner {
    let credentials = location.credentials
    switch location.signing {
    case .awsV4:
      return AWSSigV4Signer(
        credentials: AWSCredentials(
          accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretKey,
          sessionToken: credentials.sessionToken),
        region: location.region, service: "s3", payloadSigning: .unsigned)
    case .cos:
      // One hour, as the COS SDKs sign: long enough for a slow part upload, short enough that
      // a leaked Authorization header is not useful for long.
      return COSSigner(
        credentials: COSCredentials(secretID: credentials.accessKeyID, secretKey: credentials.secretKey),
        validity: .seconds(3600))
    }
  }
}
