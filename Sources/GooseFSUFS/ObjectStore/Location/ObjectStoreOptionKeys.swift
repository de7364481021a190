/// Mount-option names the object-store adapter reads. Most are Alluxio/GooseFS/Hadoop-COS keys
/// that users already set; the `goosefs.underfs.object.*` read/upload/owner keys and the
/// `fs.cosn.signer` switch are this project's own (see docs/object-stores.md).
public enum ObjectStoreOptionKeys {
  // S3 credentials, endpoint and addressing.
  public static let s3aAccessKeyID = "s3a.accessKeyId"
  public static let s3aSecretKey = "s3a.secretKey"
  public static let awsAccessKeyID = "aws.accessKeyId"
  public static let awsSecretKey = "aws.secretKey"
  public static let s3Endpoint = "goosefs.underfs.s3.endpoint"
  public static let s3Region = "goosefs.underfs.s3.endpoint.region"
  public static let s3DisableDNSBuckets = "goosefs.underfs.s3.disable.dns.buckets"
  public static let s3SecureHTTP = "goosefs.underfs.s3.secure.http.enabled"
  public static let s3PartSize = "goosefs.underfs.s3.streaming.upload.partition.size"
  public static let s3UploadThreads = "goosefs.underfs.s3.upload.threads.max"
  public static let s3SocketTimeout = "goosefs.underfs.s3.socket.timeout"
  public static let s3RequestTimeout = "goosefs.underfs.s3.request.timeout"
  public static let s3ThreadsMax = "goosefs.underfs.s3.threads.max"
  public static let s3DefaultMode = "goosefs.underfs.s3.default.mode"

  // Tencent COS: Hadoop-COS (cosn://) and Alluxio's native COS (cos://) spellings.
  public static let cosnSecretID = "fs.cosn.userinfo.secretId"
  public static let cosnSecretKey = "fs.cosn.userinfo.secretKey"
  public static let cosnRegion = "fs.cosn.bucket.region"
  public static let cosnEndpointSuffix = "fs.cosn.bucket.endpoint_suffix"
  public static let cosnUseHTTPS = "fs.cosn.useHttps"
  public static let cosnPartSize = "fs.cosn.upload.part.size"
  public static let cosnSigner = "fs.cosn.signer"
  public static let cosAccessKey = "fs.cos.access.key"
  public static let cosSecretKey = "fs.cos.secret.key"
  public static let cosRegion = "fs.cos.region"
  public static let cosAppID = "fs.cos.app.id"
  public static let cosConnectionMax = "fs.cos.connection.max"
  public static let cosConnectionTimeout = "fs.cos.connection.timeout"
  public static let cosSocketTimeout = "fs.cos.socket.timeout"
  public static let cosSigner = "fs.cos.signer"

  // Behaviour shared by every object store.
  public static let listingLength = "goosefs.underfs.listing.length"
  public static let breadcrumbs = "goosefs.underfs.object.store.breadcrumbs.enabled"
  public static let skipParentDirectoryCreation = "goosefs.underfs.object.store.skip.parent.directory.creation"
  public static let serviceThreads = "goosefs.underfs.object.store.service.threads"
  public static let readStrategy = "goosefs.underfs.object.read.strategy"
  public static let readParallelism = "goosefs.underfs.object.read.parallelism"
  public static let readPartSize = "goosefs.underfs.object.read.part.size"
  public static let uploadParallelism = "goosefs.underfs.object.upload.parallelism"
  public static let owner = "goosefs.underfs.object.owner"
  public static let retryMaxAttempts = "goosefs.underfs.object.retry.max.attempts"
  public static let retryMaxDuration = "goosefs.underfs.object.retry.max.duration"
  public static let group = "goosefs.underfs.object.group"
}
