/// The operation a frame carries (docs/block-protocol.md, "Operations"). The raw values are wire
/// codes: never renumber them.
public enum BlockOp: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  case read = 1
  case writeBlock = 2
  case writeUfsFile = 3
  case cacheBlock = 4
  case openLocal = 5
  case closeLocal = 6
  /// Blocks a client on this host read from their files directly (without OPEN_LOCAL): the
  /// worker counts them as accessed for its eviction order.
  case touchLocal = 7
  case data = 16
  case end = 17
  case error = 18
  case ack = 19
  case cancel = 20

  /// Ops that open an exchange. Requests are below 16 so that a future request op needs no change
  /// to the code that counts requests (the server's CANCEL matching relies on that count).
  public var isRequest: Bool { rawValue < 16 }

  public var description: String {
    switch self {
    case .read: "READ"
    case .writeBlock: "WRITE_BLOCK"
    case .writeUfsFile: "WRITE_UFS_FILE"
    case .cacheBlock: "CACHE_BLOCK"
    case .openLocal: "OPEN_LOCAL"
    case .closeLocal: "CLOSE_LOCAL"
    case .touchLocal: "TOUCH_LOCAL"
    case .data: "DATA"
    case .end: "END"
    case .error: "ERROR"
    case .ack: "ACK"
    case .cancel: "CANCEL"
    }
  }
}
