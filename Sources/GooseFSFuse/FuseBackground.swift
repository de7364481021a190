import Foundation
import GooseFSCore

#if canImport(Glibc)
  import Glibc
#endif

/// `mount` without `-f`: the daemon is this program again with `-f`, started in its own session
/// (forking a process that already runs threads is unsafe); we return once the mount is up, or
/// with the daemon's error if it exits first.
public enum FuseBackground {
  public static func start(arguments: [String], mountPoint: String, logFile: String, timeout: Duration) throws {
    let executable = CommandLine.arguments[0].hasPrefix("/")
      ? CommandLine.arguments[0] : (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let argv = [executable, "mount", "-f"] + arguments
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    let setsid: Int16 = 0x80  // POSIX_SPAWN_SETSID (glibc), not exported to Swift
    posix_spawnattr_setflags(&attributes, setsid)
    var cArguments = argv.map { strdup($0) }
    cArguments.append(nil)
    defer { cArguments.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, &cArguments, environ)
    guard spawned == 0 else {
      throw GooseFSError(.internalError, "Cannot start the FUSE daemon: \(String(cString: strerror(spawned))).")
    }
    // Bounded wait for either outcome: the mount appears, or the daemon exits.
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if FuseMountTable.isMounted(mountPoint) { return }
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        throw GooseFSError(.unavailable, "The FUSE daemon exited before mounting \(mountPoint); see \(logFile).")
      }
      usleep(20_000)
    }
    kill(pid, SIGTERM)
    throw GooseFSError(.deadlineExceeded, "\(mountPoint) was not mounted within \(timeout); see \(logFile).")
  }
}
