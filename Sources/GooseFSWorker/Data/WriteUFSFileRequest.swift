import GooseFSCore
import GooseFSRPC
import GooseFSUFS
import NIOCore

/// WRITE_UFS_FILE: a whole file for the under store (CACHE_THROUGH, THROUGH). The bytes stream to
/// the store as they arrive; with `cache`, they also fill this worker's cache block by block
/// (best effort: a full store stops caching, never the write). The ACK carries the fingerprint
/// the master records, so it is sent only after the store has the complete file.
struct WriteUFSFileRequest {
  let context: WorkerContext
  let connection: BlockServerConnection
  let frame: BlockFrame

  func serve() async throws {
    let request = try frame.message(as: Goosefs_Block_WriteUfsFileRequest.self)
    let output: any UFSOutputStream
    let ufs: any UnderFileSystem
    do {
      ufs = try await context.mounts.store(forMount: request.mountID)
      output = try await ufs.create(request.ufsPath, mode: UInt16(request.mode & 0o7777), createParents: true)
    } catch {
      throw RequestAbandoned(cause: RPCErrorMapping.goosefsError(from: error))
    }
    var cache = request.cache && request.blockSize > 0 ? BlockCacher(context: context, request: request) : nil
    var received: Int64 = 0
    do {
      while true {
        guard let next = try await connection.nextFrame() else {
          throw GooseFSError(.unavailable, "The client closed the connection while writing \(request.ufsPath).")
        }
        switch next.op {
        case .data:
          guard next.header.offset == received else {
            throw GooseFSError.blockProtocol("DATA for \(request.ufsPath) at \(next.header.offset), expected \(received)")
          }
          try await output.write(next.payload)
          await cache?.append(next.payload, at: received)
          received += Int64(next.payload.readableBytes)
        case .end:
          guard next.header.length == received else {
            throw GooseFSError.blockProtocol("END of \(request.ufsPath) says \(next.header.length) bytes, received \(received)")
          }
          try await output.close()
          context.metrics.wroteToUFS(Int(received))
          let fingerprint = try await ufs.status(request.ufsPath)?.fingerprint ?? ""
          let cached = await cache?.finish() ?? []
          try await connection.sendAck(
            payload: Goosefs_Block_WriteUfsFileResponse.with {
              $0.ufsFingerprint = fingerprint
              $0.length = received
              $0.cachedBlockIds = cached
            })
          return
        default:
          throw GooseFSError.blockProtocol("unexpected \(next.op) while writing \(request.ufsPath)")
        }
      }
    } catch {
      await output.abort()
      await cache?.abandon()
      throw RequestAbandoned(cause: RPCErrorMapping.goosefsError(from: error))
    }
  }
}

/// Cuts a file's byte stream into blocks and caches them; gives up quietly when the store is full.
struct BlockCacher {
  let context: WorkerContext
  let request: Goosefs_Block_WriteUfsFileRequest
  private var writer: BlockWriter?
  private var index: Int64 = -1
  private var committed: [Int64] = []
  private var gaveUp = false

  init(context: WorkerContext, request: Goosefs_Block_WriteUfsFileRequest) {
    self.context = context
    self.request = request
  }

  mutating func append(_ buffer: ByteBuffer, at fileOffset: Int64) async {
    var rest = buffer
    var offset = fileOffset
    while rest.readableBytes > 0, !gaveUp {
      let blockIndex = offset / request.blockSize
      if blockIndex != index {
        await closeCurrent()
        index = blockIndex
        do {
          writer = try await context.store.createBlock(
            request.firstBlockID + blockIndex, tierAlias: nil, expectedLength: nil, persisted: true)
        } catch {
          context.logger.info("Not caching the rest of \(request.ufsPath) (written through): \(error)")
          gaveUp = true
          return
        }
      }
      let roomInBlock = Int((blockIndex + 1) * request.blockSize - offset)
      let piece = rest.readSlice(length: min(roomInBlock, rest.readableBytes))!
      do {
        try await writer?.write(piece)
      } catch {
        await writer?.abort()
        writer = nil
        gaveUp = true
        return
      }
      offset += Int64(piece.readableBytes)
    }
  }

  private mutating func closeCurrent() async {
    guard let current = writer else { return }
    writer = nil
    do {
      let block = try await current.commit()
      committed.append(block.blockID)
      await context.commit(block)
    } catch {
      await current.abort()
      gaveUp = true
    }
  }

  mutating func finish() async -> [Int64] {
    if !gaveUp { await closeCurrent() } else { await writer?.abort() }
    return committed
  }

  func abandon() async {
    await writer?.abort()
  }
}
