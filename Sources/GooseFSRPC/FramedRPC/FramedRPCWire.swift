import GooseFSCore
import NIOCore

/// The framed master protocol: the hot unary metadata calls (getStatus, create, complete,
/// remove, …) as length-prefixed frames over one pipelined TCP connection on the master's gRPC
/// port, with the same protobuf messages as the gRPC contract. Why it exists and what it costs
/// is in docs/architecture.md ("The framed master protocol").
///
/// A connection starts with the client's 8-byte preface (`GFSM`, version, 3 zero bytes); the
/// master's listener tells it from HTTP/2 (whose preface starts `PRI `) by those first bytes.
/// Then every frame is `u32 length` (bytes after this field) followed by:
/// - request:  `u8 kind=1, u16 method, u32 id, u16 user length, user, u16 groups length,
///   groups (comma-separated), payload`
/// - response: `u8 kind=2 (ok) | 3 (error), u32 id`, then the response message (ok) or
///   `u16 code length, code (GooseFSError.Code raw value), message` (error).
/// Responses may come in any order; the id pairs them with their requests.
public enum FramedRPCWire {
  public static let preface: [UInt8] = Array("GFSM".utf8) + [1, 0, 0, 0]
  /// The bytes that tell a framed connection from HTTP/2 (`PRI * HTTP/2.0…`).
  static let magic: [UInt8] = Array(preface.prefix(4))
  /// Largest frame either side accepts (a getStatus of a file with 100k blocks is ≈ 5 MiB).
  public static let maxFrameBytes = 16 << 20

  enum Kind: UInt8 {
    case request = 1
    case ok = 2
    case error = 3
  }
}

/// The calls the framed protocol carries. Numbers are part of the wire format: never reuse one.
public enum FramedMethod: UInt16, Sendable, CaseIterable {
  case getStatus = 1
  case createFile = 2
  case completeFile = 3
  case remove = 4
  case rename = 5
  case createDirectory = 6
  case setAttribute = 7
  // 8 was schedulePersist: completeFile's `schedule_persist` replaced it; the number stays unused.
  case commitBlock = 9
  case commitPersist = 10
}

public struct FramedRequest: Sendable {
  public var id: UInt32
  public var method: UInt16
  public var caller: CallerIdentity
  public var payload: ByteBuffer

  public init(id: UInt32, method: UInt16, caller: CallerIdentity, payload: ByteBuffer) {
    self.id = id
    self.method = method
    self.caller = caller
    self.payload = payload
  }

  func write(to buffer: inout ByteBuffer) {
    let user = Array(caller.user.utf8)
    let groups = Array(caller.groups.joined(separator: ",").utf8)
    let length = 1 + 2 + 4 + 2 + user.count + 2 + groups.count + payload.readableBytes
    buffer.reserveCapacity(minimumWritableBytes: 4 + length)
    buffer.writeInteger(UInt32(length))
    buffer.writeInteger(FramedRPCWire.Kind.request.rawValue)
    buffer.writeInteger(method)
    buffer.writeInteger(id)
    buffer.writeInteger(UInt16(user.count))
    buffer.writeBytes(user)
    buffer.writeInteger(UInt16(groups.count))
    buffer.writeBytes(groups)
    buffer.writeImmutableBuffer(payload)
  }

  /// Parses the bytes after the length field.
  static func read(_ frame: inout ByteBuffer) throws -> FramedRequest {
    guard frame.readInteger(as: UInt8.self) == FramedRPCWire.Kind.request.rawValue,
      let method = frame.readInteger(as: UInt16.self), let id = frame.readInteger(as: UInt32.self),
      let user = frame.readLengthPrefixedString(), !user.isEmpty, let groups = frame.readLengthPrefixedString()
    else {
      throw GooseFSError(.invalidArgument, "Framed RPC: a malformed request frame (or one without a caller identity).")
    }
    let caller = CallerIdentity(user: user, groups: groups.split(separator: ",").map(String.init))
    return FramedRequest(id: id, method: method, caller: caller, payload: frame)
  }
}

public struct FramedResponse: Sendable {
  public var id: UInt32
  public var result: Result<ByteBuffer, GooseFSError>

  public init(id: UInt32, result: Result<ByteBuffer, GooseFSError>) {
    self.id = id
    self.result = result
  }

  func write(to buffer: inout ByteBuffer) {
    switch result {
    case .success(let payload):
      buffer.writeInteger(UInt32(1 + 4 + payload.readableBytes))
      buffer.writeInteger(FramedRPCWire.Kind.ok.rawValue)
      buffer.writeInteger(id)
      buffer.writeImmutableBuffer(payload)
    case .failure(let error):
      let code = Array(error.code.rawValue.utf8)
      // A message is for people: cut one that would not fit a frame rather than fail the reply.
      let message = Array(error.message.utf8.prefix(FramedRPCWire.maxFrameBytes / 2))
      buffer.writeInteger(UInt32(1 + 4 + 2 + code.count + message.count))
      buffer.writeInteger(FramedRPCWire.Kind.error.rawValue)
      buffer.writeInteger(id)
      buffer.writeInteger(UInt16(code.count))
      buffer.writeBytes(code)
      buffer.writeBytes(message)
    }
  }

  static func read(_ frame: inout ByteBuffer) throws -> FramedResponse {
    guard let kind = frame.readInteger(as: UInt8.self).flatMap(FramedRPCWire.Kind.init(rawValue:)),
      let id = frame.readInteger(as: UInt32.self)
    else {
      throw GooseFSError(.unavailable, "Framed RPC: the master sent a malformed response frame.")
    }
    switch kind {
    case .ok:
      return FramedResponse(id: id, result: .success(frame))
    case .error:
      guard let rawCode = frame.readLengthPrefixedString() else {
        throw GooseFSError(.unavailable, "Framed RPC: the master sent a malformed error frame.")
      }
      let message = frame.readString(length: frame.readableBytes) ?? ""
      // A code this client does not know (a newer master) is still an error, never a success.
      let code = GooseFSError.Code(rawValue: rawCode) ?? .internalError
      return FramedResponse(id: id, result: .failure(GooseFSError(code, message)))
    case .request:
      throw GooseFSError(.unavailable, "Framed RPC: the master sent a request frame.")
    }
  }
}

extension ByteBuffer {
  fileprivate mutating func readLengthPrefixedString() -> String? {
    guard let length = readInteger(as: UInt16.self) else { return nil }
    return readString(length: Int(length))
  }
}

/// Bytes → frames (the bytes after each length field), header checked before the payload is
/// waited for: a length over `maxFrameBytes` is refused before anything is buffered for it.
/// `expectsPreface`: the server side first consumes the client's preface.
struct FramedRPCFrameDecoder: ByteToMessageDecoder {
  typealias InboundOut = ByteBuffer
  private var expectsPreface: Bool

  init(expectsPreface: Bool) {
    self.expectsPreface = expectsPreface
  }

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    if expectsPreface {
      guard let preface = buffer.readBytes(length: FramedRPCWire.preface.count) else { return .needMoreData }
      guard preface == FramedRPCWire.preface else {
        throw GooseFSError(.invalidArgument, "Framed RPC: unsupported protocol version \(preface).")
      }
      expectsPreface = false
    }
    guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
    guard length > 0, length <= FramedRPCWire.maxFrameBytes else {
      throw GooseFSError(.invalidArgument, "Framed RPC: a frame of \(length) bytes (limit \(FramedRPCWire.maxFrameBytes)).")
    }
    guard buffer.readableBytes >= 4 + Int(length) else {
      buffer.reserveCapacity(minimumWritableBytes: 4 + Int(length) - buffer.readableBytes)
      return .needMoreData
    }
    buffer.moveReaderIndex(forwardBy: 4)
    context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
    return .continue
  }
}
