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

  /// Calls answered on the event loop when they can be (no task, no hop): reads of the namespace.
  var framedInlineMethods: [FramedMethod: FramedRPCServer.InlineMethod] {
    [.getStatus: Self.framedInline(getStatusNow(_:caller:))]
  }

  static func framedInline<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
    _ body: @escaping @Sendable (Request, CallerIdentity) throws -> Response?
  ) -> FramedRPCServer.InlineMethod {
    { payload, caller in
      let request: Request = try decode(payload)
      guard let response = try body(request, caller) else { return nil }
      let bytes: [UInt8] = try response.serializedBytes()
      return ByteBuffer(bytes: bytes)
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
}
