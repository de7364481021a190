import Foundation
import GooseFSCore
import GooseFSTestSupport
import GooseFSUFS
import Synchronization

/// The conformance suite against S3: one moto_server for the whole test process (started on
/// first use), a fresh bucket per scratch, and the adapter mounted at `s3://<bucket>/scratch`
/// so that the scratch root has a parent outside the mount.
extension UFSConformanceFixture {
  static let s3 = UFSConformanceFixture(
    name: "s3",
    capabilities: [],
    makeScratch: {
      let moto = try SharedMoto.server()
      let bucket = SharedMoto.freshBucketName()
      try moto.boto3("s3.create_bucket(Bucket='\(bucket)')")
      let root = "s3://\(bucket)/scratch"
      let ufs = try UnderFileSystemRegistry.standard.create(uri: root, options: SharedMoto.s3Options(moto))
      return (Scratch(ufs: ufs, root: try UFSURI(root)), { @Sendable in })
    },
    populate: { scratch, directory, count in
      let prefix = String(directory.path.dropFirst())
      try SharedMoto.putSmallObjects(
        bucket: scratch.root.authority, keys: "\(prefix)/f{i}", count: count, size: "i % 7")
    })
}

/// The process-wide moto_server used by the object-store tests: started on first use and
/// stopped when the test process exits (a static is never deinitialised, so an exit handler
/// releases it; otherwise every test run would leave a moto_server behind).
enum SharedMoto {
  private static let holder = Mutex<Result<MotoServer, any Error>?>(nil)

  static func server() throws -> MotoServer {
    try holder.withLock { state in
      if let state { return try state.get() }
      let started = Result { try MotoServer() }
      state = started
      if case .success = started {
        atexit { SharedMoto.holder.withLock { $0 = nil } }
      }
      return try started.get()
    }
  }

  /// PUTs `count` objects named by the Python f-string `keys` (over `i`) holding `size` bytes of
  /// "x", with plain unsigned HTTP from 8 threads: moto does not check signatures, and skipping
  /// boto3 halves the time of 20,000 PUTs (moto itself needs ~2 ms per PUT).
  static func putSmallObjects(bucket: String, keys: String, count: Int, size: String) throws {
    let moto = try server()
    _ = try MotoServer.python(
      """
      import http.client, threading
      from concurrent.futures import ThreadPoolExecutor
      local = threading.local()
      def put(i):
          if not hasattr(local, 'c'):
              local.c = http.client.HTTPConnection('127.0.0.1', \(moto.port))
          local.c.request('PUT', f'/\(bucket)/\(keys)', body=b'x' * (\(size)))
          response = local.c.getresponse()
          response.read()
          assert response.status == 200, response.status
      with ThreadPoolExecutor(8) as pool:
          list(pool.map(put, range(\(count))))
      """)
  }

  static func freshBucketName() -> String {
    "test-" + UUID().uuidString.lowercased().prefix(18).replacingOccurrences(of: "-", with: "")
  }

  /// Mount options for an `s3://` location on `moto`. The secret is deliberately distinctive so
  /// tests can assert that it never shows up in messages.
  static func s3Options(_ moto: MotoServer, extra: [String: String] = [:]) -> [String: String] {
    [
      "goosefs.underfs.s3.endpoint": moto.endpoint,
      "s3a.accessKeyId": "testing",
      "s3a.secretKey": "moto-secret-never-printed",
    ].merging(extra) { _, new in new }
  }
}
