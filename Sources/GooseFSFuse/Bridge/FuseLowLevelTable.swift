import CGooseFSFuse
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// libfuse's low-level operation table pointing at `FuseOperations`. Each entry copies what the
/// kernel passed (names, write data) before returning, because libfuse reuses its buffers.
/// Operations left out get ENOSYS from libfuse, which the kernel remembers: getxattr and
/// listxattr are left out on purpose (answering them costs a round trip per `ls -l` entry).
enum FuseLowLevelTable {
  static func make() -> fuse_lowlevel_ops {
    var ops = fuse_lowlevel_ops()
    ops.`init` = { userdata, connection in
      let operations = Unmanaged<FuseOperations>.fromOpaque(userdata!).takeUnretainedValue()
      FuseConnectionSetup.configure(connection!, settings: operations.settings)
    }
    ops.lookup = { request, parent, name in
      fuseOperations(request).lookup(FuseRequest(raw: request!), parent: UInt64(parent), name: fuseName(name))
    }
    ops.forget = { request, node, count in
      fuseOperations(request).forget(UInt64(node), count: count)
      fuse_reply_none(request)
    }
    ops.forget_multi = { request, count, forgets in
      let operations = fuseOperations(request)
      for index in 0..<count {
        let forget = forgets![index]
        operations.forget(UInt64(forget.ino), count: forget.nlookup)
      }
      fuse_reply_none(request)
    }
    ops.getattr = { request, node, _ in
      fuseOperations(request).getattr(FuseRequest(raw: request!), node: UInt64(node))
    }
    ops.setattr = { request, node, attributes, fields, info in
      fuseOperations(request).setattr(
        FuseRequest(raw: request!), node: UInt64(node), attributes: attributes!.pointee, fields: fields,
        handle: info.map { $0.pointee.fh })
    }
    ops.mkdir = { request, parent, name, mode in
      fuseOperations(request).mkdir(FuseRequest(raw: request!), parent: UInt64(parent), name: fuseName(name), mode: UInt32(mode))
    }
    ops.unlink = { request, parent, name in
      fuseOperations(request).unlink(FuseRequest(raw: request!), parent: UInt64(parent), name: fuseName(name))
    }
    ops.rmdir = { request, parent, name in
      fuseOperations(request).unlink(FuseRequest(raw: request!), parent: UInt64(parent), name: fuseName(name))
    }
    ops.rename = { request, parent, name, newParent, newName, flags in
      fuseOperations(request).rename(
        FuseRequest(raw: request!), parent: UInt64(parent), name: fuseName(name), newParent: UInt64(newParent),
        newName: fuseName(newName), flags: UInt32(flags))
    }
    ops.open = { request, node, info in
      fuseOperations(request).open(FuseRequest(raw: request!), node: UInt64(node), flags: info!.pointee.flags)
    }
    ops.create = { request, parent, name, mode, info in
      fuseOperations(request).create(
        FuseRequest(raw: request!), parent: UInt64(parent), name: fuseName(name), mode: UInt32(mode),
        flags: info!.pointee.flags)
    }
    ops.read = { request, _, size, offset, info in
      fuseOperations(request).read(FuseRequest(raw: request!), handle: info!.pointee.fh, offset: Int64(offset), size: size)
    }
    ops.write = { request, _, bytes, size, offset, info in
      var buffer = ByteBufferAllocator().buffer(capacity: size)
      buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: size))
      fuseOperations(request).write(FuseRequest(raw: request!), handle: info!.pointee.fh, bytes: buffer, offset: Int64(offset))
    }
    ops.flush = { request, _, info in
      fuseOperations(request).flush(FuseRequest(raw: request!), handle: info!.pointee.fh)
    }
    ops.fsync = { request, _, _, info in
      fuseOperations(request).fsync(FuseRequest(raw: request!), handle: info!.pointee.fh)
    }
    ops.release = { request, _, info in
      fuseOperations(request).release(FuseRequest(raw: request!), handle: info!.pointee.fh)
    }
    ops.opendir = { request, node, info in
      fuseOperations(request).opendir(FuseRequest(raw: request!), node: UInt64(node), flags: info!.pointee.flags)
    }
    ops.readdir = { request, node, size, offset, info in
      fuseOperations(request).readdir(
        FuseRequest(raw: request!), node: UInt64(node), handle: info!.pointee.fh, size: size, offset: Int64(offset),
        plus: false)
    }
    ops.readdirplus = { request, node, size, offset, info in
      fuseOperations(request).readdir(
        FuseRequest(raw: request!), node: UInt64(node), handle: info!.pointee.fh, size: size, offset: Int64(offset),
        plus: true)
    }
    ops.releasedir = { request, _, info in
      fuseOperations(request).releasedir(FuseRequest(raw: request!), handle: info!.pointee.fh)
    }
    ops.fsyncdir = { request, node, _, _ in
      fuseOperations(request).fsyncdir(FuseRequest(raw: request!), node: UInt64(node))
    }
    ops.statfs = { request, _ in
      fuseOperations(request).statfs(FuseRequest(raw: request!))
    }
    // Extended attributes are not stored: refusing writes cleanly beats pretending.
    ops.setxattr = { request, _, _, _, _, _ in
      fuse_reply_err(request, ENOTSUP)
    }
    ops.removexattr = { request, _, _ in
      fuse_reply_err(request, ENOTSUP)
    }
    return ops
  }
}

/// The session's userdata is the `FuseOperations`, kept alive by `FuseSession`. (Free functions:
/// a C function pointer cannot be formed from a closure that mentions `Self`.)
private func fuseOperations(_ request: fuse_req_t?) -> FuseOperations {
  Unmanaged<FuseOperations>.fromOpaque(fuse_req_userdata(request)!).takeUnretainedValue()
}

private func fuseName(_ pointer: UnsafePointer<CChar>?) -> String { String(cString: pointer!) }

/// What the daemon asks of the kernel connection at INIT.
enum FuseConnectionSetup {
  static func configure(_ connection: UnsafeMutablePointer<fuse_conn_info>, settings: FuseSettings) {
    let requestSize = UInt32(settings.mountOptions.maxRead)
    // max_write makes libfuse negotiate max_pages; max_read must equal the max_read= mount option.
    connection.pointee.max_write = requestSize
    connection.pointee.max_read = requestSize
    if let readAhead = settings.mountOptions.maxReadahead {
      connection.pointee.max_readahead = UInt32(readAhead)
    }
    let capable = connection.pointee.capable
    for wanted in [FUSE_CAP_READDIRPLUS, FUSE_CAP_READDIRPLUS_AUTO, FUSE_CAP_PARALLEL_DIROPS, FUSE_CAP_ASYNC_READ, FUSE_CAP_SPLICE_WRITE]
    where capable & UInt32(wanted) != 0 {
      connection.pointee.want |= UInt32(wanted)
    }
    // Our own writes are sent at once (no writeback cache): the commit on close sees them all.
    connection.pointee.want &= ~UInt32(FUSE_CAP_WRITEBACK_CACHE)
    // The kernel's own queue: at most this many background requests outstanding; past 3/4 of it
    // the bdi reports congestion and read-ahead backs off (the kernel default is 12 and 9).
    connection.pointee.max_background = UInt32(settings.maxBackground)
    connection.pointee.congestion_threshold = UInt32(max(1, settings.maxBackground * 3 / 4))
  }
}
