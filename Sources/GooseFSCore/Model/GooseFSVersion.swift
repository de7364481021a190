public enum GooseFSVersion {
  /// The product version printed by `goosefs version` and reported by the master.
  public static let current = "1.4.5-swift-0.1.0"
}
