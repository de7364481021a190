/// Under storage: generic object-store behaviour, S3, and the credential keys of COS, CosN, S3A
/// and AWS. Credential keys have no `goosefs.` prefix (Hadoop/Alluxio convention) and no
/// default here, so that only values someone actually set reach the root mount options.
extension PropertyKeys {
  public static let underfsHdfsConfiguration = PropertyKey(
    "goosefs.underfs.hdfs.configuration", default: nil, .string,
    "Colon-separated Hadoop configuration files (Fluid: /hdfs-config/hdfs-site.xml:/hdfs-config/core-site.xml).")
  public static let underfsListingLength = PropertyKey(
    "goosefs.underfs.listing.length", default: "1000", .integer, "Objects per UFS listing page.")
  public static let underfsObjectStoreBreadcrumbsEnabled = PropertyKey(
    "goosefs.underfs.object.store.breadcrumbs.enabled", default: "true", .boolean,
    "Create directory marker objects for directories that exist only implicitly.")
  public static let underfsObjectStoreSkipParentDirectoryCreation = PropertyKey(
    "goosefs.underfs.object.store.skip.parent.directory.creation", default: "true", .boolean,
    "Do not create parent marker objects when writing a file.")
  public static let underfsCleanupEnabled = PropertyKey(
    "goosefs.underfs.cleanup.enabled", default: "false", .boolean, "Periodically abort orphaned multipart uploads.")
  public static let underfsS3Endpoint = PropertyKey(
    "goosefs.underfs.s3.endpoint", default: nil, .string, "S3 endpoint URL (for COS: https://cos.<region>.myqcloud.com).")
  public static let underfsS3EndpointRegion = PropertyKey(
    "goosefs.underfs.s3.endpoint.region", default: nil, .string, "Region used to sign S3 requests.")
  public static let underfsS3DisableDnsBuckets = PropertyKey(
    "goosefs.underfs.s3.disable.dns.buckets", default: "false", .boolean,
    "Path-style bucket addressing instead of virtual-host style.")
  public static let underfsS3DirectorySuffix = PropertyKey(
    "goosefs.underfs.s3.directory.suffix", default: "/", .string, "Suffix of directory marker objects.")
  public static let underfsS3DefaultMode = PropertyKey(
    "goosefs.underfs.s3.default.mode", default: "0700", .octalMode, "Mode reported for S3 objects.")
  public static let underfsS3ThreadsMax = PropertyKey(
    "goosefs.underfs.s3.threads.max", default: "40", .integer, "Concurrent S3 requests.")
  public static let underfsS3UploadThreadsMax = PropertyKey(
    "goosefs.underfs.s3.upload.threads.max", default: "20", .integer, "Concurrent multipart part uploads.")
  public static let underfsS3StreamingUploadEnabled = PropertyKey(
    "goosefs.underfs.s3.streaming.upload.enabled", default: "false", .boolean,
    "Upload parts while writing instead of buffering the whole file.")
  public static let underfsS3StreamingUploadPartitionSize = PropertyKey(
    "goosefs.underfs.s3.streaming.upload.partition.size", default: "64MB", .byteSize, "Multipart part size.")
  public static let underfsS3SocketTimeout = PropertyKey(
    "goosefs.underfs.s3.socket.timeout", default: "50sec", .duration, "S3 socket timeout.")
  public static let underfsS3RequestTimeout = PropertyKey(
    "goosefs.underfs.s3.request.timeout", default: "1min", .duration, "S3 request timeout.")
  public static let underfsEventualConsistencyRetryBaseSleep = PropertyKey(
    "goosefs.underfs.eventual.consistency.retry.base.sleep", default: "50ms", .duration,
    "First retry delay when an object is not yet visible.")
  public static let underfsEventualConsistencyRetryMaxNum = PropertyKey(
    "goosefs.underfs.eventual.consistency.retry.max.num", default: "20", .integer,
    "Retries when an object is not yet visible.")
  public static let underfsEventualConsistencyRetryMaxSleep = PropertyKey(
    "goosefs.underfs.eventual.consistency.retry.max.sleep", default: "30sec", .duration, "Longest such retry delay.")

  public static let s3aAccessKeyId = PropertyKey(
    "s3a.accessKeyId", default: nil, .string, "S3 access key id.", isSecret: true)
  public static let s3aSecretKey = PropertyKey(
    "s3a.secretKey", default: nil, .string, "S3 secret key.", isSecret: true)
  public static let awsAccessKeyId = PropertyKey(
    "aws.accessKeyId", default: nil, .string, "AWS access key id (alternative spelling).", isSecret: true)
  public static let awsSecretKey = PropertyKey(
    "aws.secretKey", default: nil, .string, "AWS secret key (alternative spelling).", isSecret: true)
  public static let fsCosAccessKey = PropertyKey(
    "fs.cos.access.key", default: nil, .string, "COS SecretId for cos:// mounts.", isSecret: true)
  public static let fsCosSecretKey = PropertyKey(
    "fs.cos.secret.key", default: nil, .string, "COS SecretKey for cos:// mounts.", isSecret: true)
  public static let fsCosRegion = PropertyKey(
    "fs.cos.region", default: nil, .string, "COS region for cos:// mounts, such as ap-guangzhou.")
  public static let fsCosAppId = PropertyKey(
    "fs.cos.app.id", default: nil, .string, "Tencent Cloud AppId owning the bucket.")
  public static let fsCosConnectionMax = PropertyKey(
    "fs.cos.connection.max", default: nil, .integer, "COS connections (Alluxio default 1024).")
  public static let fsCosConnectionTimeout = PropertyKey(
    "fs.cos.connection.timeout", default: nil, .duration, "COS connect timeout (Alluxio default 50sec).")
  public static let fsCosSocketTimeout = PropertyKey(
    "fs.cos.socket.timeout", default: nil, .duration, "COS socket timeout (Alluxio default 50sec).")
  public static let fsCosnUserinfoSecretId = PropertyKey(
    "fs.cosn.userinfo.secretId", default: nil, .string, "CosN (Hadoop-COS) SecretId for cosn:// mounts.", isSecret: true)
  public static let fsCosnUserinfoSecretKey = PropertyKey(
    "fs.cosn.userinfo.secretKey", default: nil, .string, "CosN SecretKey for cosn:// mounts.", isSecret: true)
  public static let fsCosnBucketRegion = PropertyKey(
    "fs.cosn.bucket.region", default: nil, .string, "CosN bucket region, such as ap-guangzhou.")
  public static let fsCosnBucketEndpointSuffix = PropertyKey(
    "fs.cosn.bucket.endpoint_suffix", default: nil, .string, "CosN endpoint, such as cos.ap-guangzhou.myqcloud.com.")
  public static let fsCosnCredentialsProvider = PropertyKey(
    "fs.cosn.credentials.provider", default: nil, .string, "CosN credential provider class list (simple names matter).")

  // Read, upload and retry behaviour of the object-store adapter (docs/object-stores.md). Unset
  // means the adapter's own default, given in each description.
  public static let underfsObjectReadStrategy = PropertyKey(
    "goosefs.underfs.object.read.strategy", default: nil, .enumeration(["streaming", "parallel", "ranged"]),
    "How sequential object reads are fetched: one streaming GET (default), parallel ranged GETs, or one GET per read.")
  public static let underfsObjectReadParallelism = PropertyKey(
    "goosefs.underfs.object.read.parallelism", default: nil, .integer, "Ranged GETs running ahead with the parallel strategy (default 8).")
  public static let underfsObjectReadPartSize = PropertyKey(
    "goosefs.underfs.object.read.part.size", default: nil, .byteSize,
    "Bytes buffered by a streaming GET, or fetched per ranged GET (default 8MB).")
  public static let underfsObjectUploadParallelism = PropertyKey(
    "goosefs.underfs.object.upload.parallelism", default: nil, .integer, "Multipart parts uploaded at once per writer (default 4).")
  public static let underfsObjectOwner = PropertyKey(
    "goosefs.underfs.object.owner", default: nil, .string, "Owner reported for objects (default: the master's user).")
  public static let underfsObjectGroup = PropertyKey(
    "goosefs.underfs.object.group", default: nil, .string, "Group reported for objects (default: the owner's group).")
  public static let underfsObjectRetryMaxAttempts = PropertyKey(
    "goosefs.underfs.object.retry.max.attempts", default: nil, .integer,
    "Attempts per object-store request on 5xx, 429, resets and timeouts (default 10).")
  public static let underfsObjectRetryMaxDuration = PropertyKey(
    "goosefs.underfs.object.retry.max.duration", default: nil, .duration,
    "Total time an object-store request may spend retrying (default 2min).")
  public static let underfsS3SecureHttpEnabled = PropertyKey(
    "goosefs.underfs.s3.secure.http.enabled", default: nil, .boolean, "Use https for a host-only S3 endpoint (default true).")
  public static let fsCosnUseHttps = PropertyKey(
    "fs.cosn.useHttps", default: nil, .boolean, "Use https for COS endpoints (default true).")
  public static let fsCosnUploadPartSize = PropertyKey(
    "fs.cosn.upload.part.size", default: nil, .byteSize, "COS multipart part size (default 8MB).")
  public static let fsCosnSigner = PropertyKey(
    "fs.cosn.signer", default: nil, .enumeration(["cos", "s3v4"]),
    "Request signing for cosn:// (default cos; s3v4 when the endpoint suffix is a full URL, e.g. an S3-compatible test server).")

  static let underFileSystemKeys: [PropertyKey] = [
    underfsHdfsConfiguration, underfsListingLength, underfsObjectStoreBreadcrumbsEnabled,
    underfsObjectStoreSkipParentDirectoryCreation, underfsCleanupEnabled, underfsS3Endpoint,
    underfsS3EndpointRegion, underfsS3DisableDnsBuckets, underfsS3DirectorySuffix, underfsS3DefaultMode,
    underfsS3ThreadsMax, underfsS3UploadThreadsMax, underfsS3StreamingUploadEnabled,
    underfsS3StreamingUploadPartitionSize, underfsS3SocketTimeout, underfsS3RequestTimeout,
    underfsEventualConsistencyRetryBaseSleep, underfsEventualConsistencyRetryMaxNum,
    underfsEventualConsistencyRetryMaxSleep, s3aAccessKeyId, s3aSecretKey, awsAccessKeyId, awsSecretKey,
    fsCosAccessKey, fsCosSecretKey, fsCosRegion, fsCosAppId, fsCosConnectionMax, fsCosConnectionTimeout,
    fsCosSocketTimeout, fsCosnUserinfoSecretId, fsCosnUserinfoSecretKey, fsCosnBucketRegion,
    fsCosnBucketEndpointSuffix, fsCosnCredentialsProvider, underfsObjectReadStrategy, underfsObjectReadParallelism,
    underfsObjectReadPartSize, underfsObjectUploadParallelism, underfsObjectOwner, underfsObjectGroup,
    underfsObjectRetryMaxAttempts, underfsObjectRetryMaxDuration, underfsS3SecureHttpEnabled, fsCosnUseHttps,
    fsCosnUploadPartSize, fsCosnSigner,
  ]
}
