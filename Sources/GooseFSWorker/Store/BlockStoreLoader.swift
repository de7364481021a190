import GooseFSCore
import Logging

/// Start-up: what a directory holds after a clean stop or a crash.
/// - Anything in the temporary folder is a block that was being written or moved: discarded
///   ("partial blocks are discarded"), since its writer is gone.
/// - A block file with a valid metadata record of this cluster, naming the same id and length, is
///   reloaded. Anything else about a block (no metadata, corrupt metadata, another cluster's id,
///   a length mismatch, a second copy of an id already loaded from a higher tier) gets it deleted,
///   with one log line saying why.
/// - Files that are not blocks are left alone (and not counted), with one warning per directory.
enum BlockStoreLoader {
  struct LoadedBlock {
    var blockID: Int64
    var directory: Int
    var length: Int64
    var persisted: Bool
    var modifiedNanoseconds: Int64
  }

  static func load(_ locations: [DirectoryLocation], clusterID: String, logger: Logger) throws -> [LoadedBlock] {
    var loaded: [LoadedBlock] = []
    var loadedFrom: [Int64: Int] = [:]
    for (index, location) in locations.enumerated() {
      try BlockFiles.makeDirectory(location.temporaryFolder)
      try discardPartialBlocks(location, logger: logger)

      let temporaryName = String(location.temporaryFolder.dropFirst(location.blocksFolder.count + 1))
      var metadataIDs = Set<Int64>()
      var blockFileIDs = Set<Int64>()
      var unknown = 0
      for name in try BlockFiles.list(location.blocksFolder) where name != temporaryName {
        if name.hasSuffix(".meta"), let id = canonicalID(name.dropLast(5)) {
          metadataIDs.insert(id)
        } else if let id = canonicalID(Substring(name)), BlockFiles.status(location.blockPath(id))?.isRegularFile == true {
          blockFileIDs.insert(id)
        } else {
          unknown += 1
        }
      }
      if unknown > 0 {
        logger.warning("Ignoring \(unknown) files in \(location.blocksFolder) that are not blocks (they are not counted against the quota)")
      }

      for blockID in blockFileIDs.subtracting(metadataIDs).sorted() {
        discard(blockID, location, "it has no metadata record (its commit did not finish)", logger)
      }
      for blockID in metadataIDs.sorted() {
        switch inspect(blockID, location, clusterID: clusterID, hasBlockFile: blockFileIDs.contains(blockID)) {
        case .failure(let reason):
          discard(blockID, location, reason.description, logger)
        case .success(let block):
          if let earlier = loadedFrom[blockID] {
            discard(blockID, location, "a copy was already loaded from \(locations[earlier].name)", logger)
            continue
          }
          loadedFrom[blockID] = index
          loaded.append(LoadedBlock(blockID: blockID, directory: index, length: block.length, persisted: block.persisted, modifiedNanoseconds: block.modified))
        }
      }
    }
    return loaded
  }

  private struct Inspected {
    var length: Int64
    var persisted: Bool
    var modified: Int64
  }

  private static func inspect(
    _ blockID: Int64, _ location: DirectoryLocation, clusterID: String, hasBlockFile: Bool
  ) -> Result<Inspected, BlockMetadataRecord.Invalid> {
    guard hasBlockFile else { return .failure(.init(description: "its block file is missing")) }
    let record: BlockMetadataRecord
    do {
      record = try BlockMetadataRecord.decode(BlockFiles.readSmallFile(location.metadataPath(blockID)))
    } catch let invalid as BlockMetadataRecord.Invalid {
      return .failure(invalid)
    } catch {
      return .failure(.init(description: "its metadata cannot be read (\(error))"))
    }
    guard record.blockID == blockID else {
      return .failure(.init(description: "its metadata names block \(record.blockID)"))
    }
    guard record.clusterID == clusterID else {
      return .failure(.init(description: "it belongs to cluster \(record.clusterID), not \(clusterID)"))
    }
    guard let status = BlockFiles.status(location.blockPath(blockID)) else {
      return .failure(.init(description: "its block file cannot be read"))
    }
    guard status.size == record.length else {
      return .failure(.init(description: "its file has \(status.size) bytes but its metadata says \(record.length)"))
    }
    return .success(Inspected(length: record.length, persisted: record.persisted, modified: status.modificationNanoseconds))
  }

  private static func discardPartialBlocks(_ location: DirectoryLocation, logger: Logger) throws {
    let leftovers = try BlockFiles.list(location.temporaryFolder)
    for name in leftovers { try BlockFiles.removeTree(location.temporaryFolder + "/" + name) }
    if !leftovers.isEmpty {
      logger.info("Discarded \(leftovers.count) partial blocks in \(location.temporaryFolder) (writes that did not finish)")
    }
  }

  private static func discard(_ blockID: Int64, _ location: DirectoryLocation, _ reason: String, _ logger: Logger) {
    logger.warning("Discarding block \(blockID) in \(location.name): \(reason)")
    do {
      try BlockFiles.remove(location.metadataPath(blockID))
      try BlockFiles.remove(location.blockPath(blockID))
    } catch {
      logger.error("Cannot delete discarded block \(blockID) in \(location.name): \(error)")
    }
  }

  /// Only the canonical spelling: "+5" or "05" are not block files of ours.
  private static func canonicalID(_ name: Substring) -> Int64? {
    guard let id = Int64(name), String(id) == name else { return nil }
    return id
  }
}
