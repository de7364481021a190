import GooseFSCore
import GooseFSRPC
import GooseFSUFS
import NIOCore

/// Reads a block (or part of it) from the under store, optionally filling the cache with it.
struct UFSBlockFetcher: Sendable {
  let context: WorkerContext

  func input(for source: Goosefs_Block_UfsBlockSource) async throws -> any UFSInputStream {
    let ufs = try await context.mounts.store(forMount: source.mountID)
    do {
      return try await context.ufsStreams.stream(mountID: source.mountID, path: source.ufsPath, ufs: ufs)
    } catch {
      context.mounts.forget(mountID: source.mountID)
      throw error
    }
  }

  /// Reads `length` bytes at `offset` of the block; fewer only if the file ended early, which
  /// means it changed in the under store: that is an error, never short data.
  func read(_ source: Goosefs_Block_UfsBlockSource, input: any UFSInputStream, offset: Int64, length: Int) async throws -> ByteBuffer {
    let buffer: ByteBuffer
    do {
      buffer = try await input.read(offset: source.offsetInFile + offset, length: length)
    } catch {
      await context.ufsStreams.discard(mountID: source.mountID, path: source.ufsPath)
      throw error
    }
    context.metrics.readFromUFS(buffer.readableBytes)
    guard buffer.readableBytes == length else {
      await context.ufsStreams.discard(mountID: source.mountID, path: source.ufsPath)
      throw GooseFSError(
        .failedPrecondition,
        "\(source.ufsPath) is shorter than GooseFS recorded (got \(buffer.readableBytes) of \(length) bytes at "
          + "\(source.offsetInFile + offset)): the file changed in the under store; reload its metadata.")
    }
    return buffer
  }

  /// Fetches the rest of a block into `writer` from `position` and commits it.
  func complete(
    _ blockID: Int64, writer: BlockWriter, from position: Int64, source: Goosefs_Block_UfsBlockSource
  ) async throws -> StoredBlockInfo {
    do {
      let input = try await input(for: source)
      var position = position
      while position < source.blockLength {
        let length = Int(min(Int64(context.settings.ufsReadSize), source.blockLength - position))
        let buffer = try await read(source, input: input, offset: position, length: length)
        try await writer.write(buffer)
        position += Int64(length)
      }
      let block = try await writer.commit()
      await context.commit(block)
      return block
    } catch {
      await writer.abort()
      throw error
    }
  }

  /// Caches a whole block unless cached or being cached (then waits for that fetch).
  func cacheWholeBlock(_ blockID: Int64, source: Goosefs_Block_UfsBlockSource) async throws {
    while !context.store.contains(blockID) {
      guard context.caching.begin(blockID) else {
        await context.caching.waitUntilDone(blockID)
        continue
      }
      defer { context.caching.finish(blockID) }
      if context.store.contains(blockID) { return }
      let writer = try await context.store.createBlock(
        blockID, tierAlias: nil, expectedLength: source.blockLength, persisted: true)
      _ = try await complete(blockID, writer: writer, from: 0, source: source)
      return
    }
  }
}
