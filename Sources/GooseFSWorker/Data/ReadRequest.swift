import GooseFSCore
import GooseFSRPC
import NIOCore

/// READ: a byte range of one block, from the cache or — on a miss — from the under store, which
/// fills the cache on the way (the rest of the block is finished in the background).
struct ReadRequest {
  let context: WorkerContext
  let connection: BlockServerConnection
  let frame: BlockFrame

  /// Ranges are sent from files in slices of this size so a CANCEL is noticed in between.
  static let sliceBytes = 8 << 20

  func serve() async throws {
    let request = try frame.message(as: Goosefs_Block_ReadBlockRequest.self)
    let blockID = frame.header.blockID
    let offset = frame.header.offset
    guard offset >= 0, frame.header.length >= 0 else {
      throw GooseFSError(.invalidArgument, "Invalid range \(offset)+\(frame.header.length) of block \(blockID)")
    }
    if let lease = try await openCached(blockID, hasSource: request.hasUfs) {
      do {
        if request.readType == .cachePromote, lease.tierAlias != context.store.layout.tiers.first?.alias {
          await context.promote(blockID)
        }
        try await serveCached(lease, offset: offset, length: frame.header.length)
      } catch {
        await lease.release()
        throw error
      }
      await lease.release()
      return
    }
    guard request.hasUfs else {
      throw GooseFSError(.notFound, "Block \(blockID) is not cached on worker \(context.settings.hostname) and has no under-store source.")
    }
    try await serveFromUFS(request.ufs, readType: request.readType, offset: offset, length: frame.header.length)
  }

  /// The cached block, or nil for a miss. A block the store found unreadable (and dropped) is a
  /// miss too when the under store can serve it again; otherwise that error is the answer.
  private func openCached(_ blockID: Int64, hasSource: Bool) async throws -> BlockReadLease? {
    do {
      return try await context.store.openForRead(blockID)
    } catch let error as GooseFSError where error.code == .notFound {
      return nil
    } catch let error as GooseFSError where error.code == .ioError && hasSource {
      context.logger.warning("Reading block \(blockID) from the under store again: \(error.message)")
      return nil
    }
  }

  private func serveCached(_ lease: BlockReadLease, offset: Int64, length requested: Int64) async throws {
    guard offset <= lease.length else {
      throw GooseFSError(.invalidArgument, "Offset \(offset) is past the end of block \(frame.header.blockID) (\(lease.length) bytes)")
    }
    let length = min(requested, lease.length - offset)
    // The lease's descriptor, duplicated: the frames keep it open until NIO has sent them, which
    // may be after the lease is released (see BlockSendFile).
    let file = try BlockSendFile(duplicating: lease.fd, path: lease.path)
    var sent: Int64 = 0
    while sent < length, !connection.isCancelRequested {
      let slice = Int(min(Int64(Self.sliceBytes), length - sent))
      try await connection.sendFileRegion(
        blockID: frame.header.blockID, offset: offset + sent, file: file, fileOffset: Int(offset + sent), length: slice)
      sent += Int64(slice)
    }
    context.metrics.servedFromCache(Int(sent))
    try await connection.sendEnd(blockID: frame.header.blockID, total: sent)
  }

  private func serveFromUFS(
    _ source: Goosefs_Block_UfsBlockSource, readType: Goosefs_Block_ReadType, offset: Int64, length requested: Int64
  ) async throws {
    let blockID = frame.header.blockID
    guard offset <= source.blockLength else {
      throw GooseFSError(.invalidArgument, "Offset \(offset) is past the end of block \(blockID) (\(source.blockLength) bytes)")
    }
    let end = offset + min(requested, source.blockLength - offset)
    let fetcher = UFSBlockFetcher(context: context)
    let input = try await fetcher.input(for: source)
    // Cache while serving when the read starts the block and nobody else is fetching it.
    var writer: BlockWriter?
    if readType != .noCache, offset == 0, context.caching.begin(blockID) {
      do {
        writer = try await context.store.createBlock(blockID, tierAlias: nil, expectedLength: source.blockLength, persisted: true)
      } catch {
        // Caching is best effort (a full store, a block being removed): the reader is served anyway.
        context.logger.info("Not caching block \(blockID) while serving it from the under store: \(error)")
        context.caching.finish(blockID)
      }
    }
    var position = offset
    let pieceSize = Int64(context.settings.ufsReadSize)
    do {
      // The next piece is fetched from the under store while the current one is cached and sent.
      var current = position < end
        ? try await fetcher.read(source, input: input, offset: position, length: Int(min(pieceSize, end - position)))
        : nil
      while let buffer = current, !connection.isCancelRequested {
        let nextPosition = position + Int64(buffer.readableBytes)
        async let upcoming: ByteBuffer? =
          nextPosition < end
          ? fetcher.read(source, input: input, offset: nextPosition, length: Int(min(pieceSize, end - nextPosition)))
          : nil
        if let active = writer {
          do {
            try await active.write(buffer)
          } catch {
            context.logger.info("Stopped caching block \(blockID) while serving it: \(error)")
            await active.abort()
            writer = nil
            context.caching.finish(blockID)
          }
        }
        try await connection.sendData(blockID: blockID, offset: position, buffer: buffer)
        position = nextPosition
        current = try await upcoming
      }
    } catch {
      if let writer {
        await writer.abort()
        context.caching.finish(blockID)
      }
      throw error
    }
    try await connection.sendEnd(blockID: blockID, total: position - offset)
    if let writer {
      // The reader has its bytes; the rest of the block is fetched in the background.
      context.asyncCache.submit(.finish(blockID: blockID, writer: writer, position: position, source: source))
    } else if readType != .noCache, !context.store.contains(blockID), !context.caching.isCaching(blockID) {
      context.asyncCache.submit(.whole(blockID: blockID, source: source))
    }
  }
}
