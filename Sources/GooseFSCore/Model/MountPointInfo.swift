/// One entry of the mount table as clients see it. Secret property values are already masked.
public struct MountPointInfo: Sendable, Equatable {
  public var mountID: Int64
  public var goosefsPath: String
  public var ufsURI: String
  public var ufsType: String
  public var readOnly: Bool
  public var shared: Bool
  public var properties: [String: String]
  /// -1 when the under store cannot tell.
  public var ufsCapacityBytes: Int64
  public var ufsUsedBytes: Int64

  public init(
    mountID: Int64, goosefsPath: String, ufsURI: String, ufsType: String, readOnly: Bool,
    shared: Bool, properties: [String: String], ufsCapacityBytes: Int64 = -1, ufsUsedBytes: Int64 = -1
  ) {
    self.mountID = mountID
    self.goosefsPath = goosefsPath
    self.ufsURI = ufsURI
    self.ufsType = ufsType
    self.readOnly = readOnly
    self.shared = shared
    self.properties = properties
    self.ufsCapacityBytes = ufsCapacityBytes
    self.ufsUsedBytes = ufsUsedBytes
  }
}
