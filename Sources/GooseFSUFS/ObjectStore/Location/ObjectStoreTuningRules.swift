import GooseFSCore

/// Reads the tuning shared by both dialects from mount options; the dialect supplies only the
/// part-size key and default and the timeout keys it honours.
enum ObjectStoreTuningRules {
  static func read(
    _ reader: ObjectStoreOptionReader, partSizeKeys: [String], defaultPartSize: Int64,
    socketTimeoutKeys: [String], connectTimeoutKeys: [String], maxConnectionKeys: [String]
  ) throws -> ObjectStoreTuning {
    var tuning = ObjectStoreTuning()
    typealias Keys = ObjectStoreOptionKeys
    // S3 refuses pages above 1000 keys; a larger setting would just be capped by the server.
    tuning.listingLength = min(try reader.integer(Keys.listingLength, default: 1000), 1000)
    tuning.partSize = defaultPartSize
    for key in partSizeKeys {
      if reader.string(key) != nil {
        // S3 requires parts of at least 5 MiB (except the last one).
        tuning.partSize = try reader.byteSize(key, default: defaultPartSize, minimum: 5 << 20)
        break
      }
    }
    tuning.uploadParallelism = try reader.integer(
      Keys.uploadParallelism, default: try reader.integer(Keys.s3UploadThreads, default: 4))
    tuning.serviceParallelism = try reader.integer(Keys.serviceThreads, default: 20)
    if let strategy = reader.string(Keys.readStrategy) {
      guard let parsed = ObjectStoreTuning.ReadStrategy(rawValue: strategy.lowercased()) else {
        let allowed = ObjectStoreTuning.ReadStrategy.allCases.map(\.rawValue).joined(separator: ", ")
        throw GooseFSError(
          .invalidArgument, "Invalid value \"\(strategy)\" for \(Keys.readStrategy): expected one of \(allowed).")
      }
      tuning.readStrategy = parsed
    }
    tuning.readParallelism = try reader.integer(Keys.readParallelism, default: 8)
    tuning.readPartSize = try reader.byteSize(Keys.readPartSize, default: 8 << 20, minimum: 64 << 10)
    tuning.requestTimeout = try reader.duration(Keys.s3RequestTimeout, default: .seconds(60))
    tuning.socketTimeout = try firstDuration(reader, socketTimeoutKeys, default: .seconds(50))
    tuning.connectTimeout = try firstDuration(reader, connectTimeoutKeys, default: .seconds(10))
    tuning.maxConnections = 40
    for key in maxConnectionKeys where reader.string(key) != nil {
      tuning.maxConnections = try reader.integer(key, default: 40)
      break
    }
    tuning.breadcrumbs = try reader.bool(Keys.breadcrumbs, default: true)
    tuning.skipParentDirectoryCreation = try reader.bool(Keys.skipParentDirectoryCreation, default: true)
    if let modeText = reader.string(Keys.s3DefaultMode) {
      guard let mode = UInt16(modeText, radix: 8), mode <= 0o7777 else {
        throw GooseFSError(.invalidArgument, "Invalid value \"\(modeText)\" for \(Keys.s3DefaultMode): expected octal bits such as 0700.")
      }
      tuning.mode = mode
    }
    let identity = ProcessIdentity.current()
    tuning.owner = reader.string(Keys.owner) ?? identity.user
    tuning.group = reader.string(Keys.group) ?? identity.groups.first ?? tuning.owner
    return tuning
  }

  private static func firstDuration(
    _ reader: ObjectStoreOptionReader, _ keys: [String], default defaultValue: Duration
  ) throws -> Duration {
    for key in keys where reader.string(key) != nil {
      return try reader.duration(key, default: defaultValue)
    }
    return defaultValue
  }
}
