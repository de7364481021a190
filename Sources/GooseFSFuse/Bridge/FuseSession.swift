import CGooseFSFuse
import Foundation
import GooseFSCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A libfuse session: the kernel mount and the threads reading /dev/fuse.
final class FuseSession: @unchecked Sendable {
  private let session: OpaquePointer
  private let operations: FuseOperations
  let mountPoint: String
  private let stopping = Atomic<Bool>(false)

  /// Creates the session and mounts it (the mount's type is `fuse.goosefs-fuse`).
  init(mountPoint: String, operations: FuseOperations) throws {
    self.mountPoint = mountPoint
    self.operations = operations
    var ops = FuseLowLevelTable.make()
    var arguments = fuse_args()
    let optionList = operations.settings.mountOptions.sessionOptions
    for argument in ["goosefs-fuse", "-o", optionList] {
      guard fuse_opt_add_arg(&arguments, argument) == 0 else {
        throw GooseFSError(.internalError, "Out of memory building the FUSE arguments.")
      }
    }
    defer { fuse_opt_free_args(&arguments) }
    let userdata = Unmanaged.passUnretained(operations).toOpaque()
    guard let session = fuse_session_new(&arguments, &ops, MemoryLayout<fuse_lowlevel_ops>.size, userdata) else {
      throw GooseFSError(.invalidArgument, "libfuse refused the mount options \"\(optionList)\" (see the line above).")
    }
    guard fuse_session_mount(session, mountPoint) == 0 else {
      fuse_session_destroy(session)
      throw GooseFSError(
        .unavailable,
        "Cannot mount FUSE at \(mountPoint) (is /dev/fuse available and the folder present? see the line above).")
    }
    self.session = session
  }

  /// Serves requests on `threads` threads until the session ends (unmounted, or `stop`).
  /// Returns on a dedicated thread's completion, never blocking the concurrency pool.
  func serve(threads: UInt32) async -> Int32 {
    await withCheckedContinuation { continuation in
      let thread = Thread { [self] in
        let result = goosefs_fuse_session_loop_mt(session, threads)
        continuation.resume(returning: result)
      }
      thread.name = "goosefs-fuse-loop"
      thread.start()
    }
  }

  /// Ends the session: the loop threads are woken by a lazy unmount (which also leaves files
  /// still open working until they are closed).
  func stop() {
    guard stopping.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
    fuse_session_exit(session)
    FuseMountTable.lazyUnmount(mountPoint)
  }

  /// After `serve` returned: removes the mount if still there, frees the session.
  func close() {
    fuse_session_unmount(session)
    fuse_session_destroy(session)
  }
}
