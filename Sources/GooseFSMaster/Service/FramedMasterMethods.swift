import GooseFSCore
import GooseFSRPC
import NIOCore
import SwiftProtobuf

/// The framed protocol's method tables: the same call bodies as the gRPC services, reached with
/// the same protobuf messages (docs/architecture.md, "The framed master protocol").
extension FileSystemMasterService {
  var framedMethods: [FramedMethod: FramedRPCServer.Method] {
    [
      .getStatus: Self.framed(getStatus(_:caller:)),
      .createFile: Self.framed(createFile(_:caller:)),
      .completeFile: Self.framed(completeFile(_:caller:)),
      .remove: Self.framed(remove(_:caller:)),
      .rename: Self.framed(rename(_:caller:)),
      .createDirectory: Self.framed(createDirectory(_:caller:)),
      .setAttribute: Self.framed(setAttribute(_:caller:)),
    ]
  }

  /// Calls answered on the event loop when they can be (no task, no hop): reads of the namespace,
  /// and the mutations a small-file write makes, answered once their journal entries are durable
  /// (docs/architecture.md, "The framed master protocol").
  var framedInlineMethods: [FramedMethod: FramedRPCServer.InlineMethod] {
    [
      .getStatus: Self.framedInline(getStatusNow(_:caller:)),
      .createFile: Self.framedInline(createFileNow(_:caller:)),
      .completeFile: Self.framedInline(completeFileNow(_:caller:)),
    ]
  }

  static func framedInline<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
    _ body: @escaping @Sendable (Request, CallerIdentity) throws -> Response?
  ) -> FramedRPCServer.InlineMethod {
    { payload, caller in
      let request: Request = try decode(payload)
      guard let response = try body(request, caller) else { return nil }
      let bytes: [UInt8] = try response.serializedBytes()
      return .now(ByteBuffer(bytes: bytes))
    }
  }

  static func framedInline<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
    _ body: @escaping @Sendable (Request, CallerIdentity) throws -> InlineReply<Response>?
  ) -> FramedRPCServer.InlineMethod {
    { payload, caller in
      let request: Request = try decode(payload)
      guard let reply = try body(request, caller) else { return nil }
      let bytes = ByteBuffer(bytes: try reply.response.serializedBytes() as [UInt8])
      if reply.pending.isDurable, reply.whenDurable == nil { return .now(bytes) }
      let pending = reply.pending
      let whenDurable = reply.whenDurable
      return .later(bytes) { answer in
        pending.whenDurable {
          whenDurable?()
          answer()
        }
      }
    }
  }

  /// A request message from a frame's payload; a payload that is not one is the caller's error.
  private static func decode<Request: SwiftProtobuf.Message>(_ payload: ByteBuffer) throws -> Request {
    do {
      return try Request(serializedBytes: Array(payload.readableBytesView))
    } catch {
      throw GooseFSError(.invalidArgument, "Framed RPC: the request is not a valid \(Request.protoMessageName): \(error)")
    }
  }

  static func framed<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
    _ body: @escaping @Sendable (Request, CallerIdentity) async throws -> Response
  ) -> FramedRPCServer.Method {
    { payload, caller in
      let request: Request = try decode(payload)
      let bytes: [UInt8] = try await body(request, caller).serializedBytes()
      return ByteBuffer(bytes: bytes)
    }
  }
}

extension BlockMasterService {
  var framedMethods: [FramedMethod: FramedRPCServer.Method] {
    [
      .commitBlock: FileSystemMasterService.framed(commitBlock(_:caller:)),
      .commitPersist: FileSystemMasterService.framed(commitPersist(_:caller:)),
    ]
  }

  var framedInlineMethods: [FramedMethod: FramedRPCServer.InlineMethod] {
    [
      .commitBlock: FileSystemMasterService.framedInline(commitBlockNow(_:caller:)),
      .commitPersist: FileSystemMasterService.framedInline(commitPersistNow(_:caller:)),
    ]
  }
}

/// What a framed call answered on the event loop sends, and when: once `pending` is durable,
/// after `whenDurable` ran (work that must not happen before, e.g. handing out a persist job).
struct InlineReply<Response: SwiftProtobuf.Message>: Sendable {
  var response: Response
  var pending: JournaledNamespace.Pending
  var whenDurable: (@Sendable () -> Void)?

  init(response: Response, pending: JournaledNamespace.Pending, whenDurable: (@Sendable () -> Void)? = nil) {
    self.response = response
    self.pending = pending
    self.whenDurable = whenDurable
  }
}
