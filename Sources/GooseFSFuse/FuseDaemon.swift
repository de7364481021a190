import Foundation
import GooseFSClient
import GooseFSCore
import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// `goosefs-fuse mount`: mounts a GooseFS folder and serves it until unmounted or cancelled
/// (SIGTERM), then leaves no mount behind.
public enum FuseDaemon {
  public static func run(
    configuration: Configuration, mountPoint: String, goosefsPath: String, options: FuseMountOptions, logger: Logger
  ) async throws {
    let settings = try FuseSettings(configuration: configuration, options: options)
    for note in options.notes { logger.info("Mount option \(note)") }
    try prepare(mountPoint, logger: logger)
    let loginName = configuration.string(PropertyKeys.securityLoginUsername)
    try await MasterConnection.with(configuration, identity: ProcessIdentity.current(loginName: loginName)) { connection in
      let fileSystem = GRPCFileSystem(connection: connection)
      // Fail now, clearly, rather than mount something that answers EIO to everything.
      let root = try await fileSystem.getStatus(goosefsPath, syncIntervalMs: nil)
      guard root.isDirectory else {
        throw GooseFSError(.invalidArgument, "Cannot mount \(goosefsPath): it is a file, not a directory.")
      }
      let operations = FuseOperations(
        fileSystem: fileSystem, rootPath: root.path, settings: settings, logger: logger
      ) {
        Task { raiseReadAhead(mountPoint, settings: settings, logger: logger) }
      }
      let session = try FuseSession(mountPoint: mountPoint, operations: operations)
      logger.info(
        "Mounted GooseFS \(root.path) at \(mountPoint) (libfuse \(FuseLibrary.version), options \(options.sessionOptions)\(options.directIO ? ",direct_io" : "")\(options.kernelCache ? ",kernel_cache" : ""))."
      )
      let result = await withTaskCancellationHandler {
        await session.serve(threads: settings.threads)
      } onCancel: {
        session.stop()
      }
      session.close()
      // Files closed just before the unmount are completed on the master before the daemon goes.
      do {
        try await fileSystem.waitForCompletions(under: "/")
      } catch {
        logger.error("A file closed before the unmount could not be completed on the master: \(error)")
      }
      logger.info("Unmounted \(mountPoint) (session loop ended with \(result)).")
      // How close the mount came to its limit: a high-water mark at the limit under normal load
      // says goosefs.fuse.requests.max is what slows it.
      let usage = operations.requestSlots.usage
      logger.info(
        "FUSE requests worked on at once: at most \(usage.highWater) (goosefs.fuse.requests.max \(settings.requestsMax)), \(usage.inUse) left.")
    }
  }

  /// The mount point must be a folder; the mount of a killed daemon there is cleared first.
  static func prepare(_ mountPoint: String, logger: Logger) throws {
    var info = stat()
    if stat(mountPoint, &info) != 0 {
      let code = errno
      guard code == ENOTCONN else {
        throw GooseFSError(.invalidArgument, "Mount point \(mountPoint): \(String(cString: strerror(code))).")
      }
      logger.warning("\(mountPoint) is the mount of a daemon that is gone; unmounting it first.")
      FuseMountTable.lazyUnmount(mountPoint)
      guard stat(mountPoint, &info) == 0 else {
        throw GooseFSError(.unavailable, "Cannot clear the stale mount at \(mountPoint): \(String(cString: strerror(errno))).")
      }
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw GooseFSError(.invalidArgument, "Mount point \(mountPoint) is not a directory.")
    }
  }

  /// Sets the mount's read-ahead (its bdi's read_ahead_kb). Called on the first request: the
  /// kernel has applied our INIT answer by then, which would otherwise override it.
  static func raiseReadAhead(_ mountPoint: String, settings: FuseSettings, logger: Logger) {
    guard let kilobytes = settings.readAheadKB, kilobytes > 0, geteuid() == 0 else { return }
    let canonical = FuseMountTable.canonicalPath(mountPoint)
    guard let mount = FuseMountTable.mounts().last(where: { $0.mountPoint == canonical }) else { return }
    let file = "/sys/class/bdi/\(mount.device)/read_ahead_kb"
    do {
      try "\(kilobytes)\n".write(toFile: file, atomically: false, encoding: .utf8)
    } catch {
      logger.info("Could not set \(file) to \(kilobytes) (buffered reads will use the kernel's read-ahead): \(error)")
    }
  }
}
