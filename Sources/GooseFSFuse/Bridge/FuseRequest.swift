import CGooseFSFuse
import GooseFSCore
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// One kernel request, answered exactly once from whichever thread finishes the work. libfuse
/// allows replying from any thread; the request stays valid until the reply.
struct FuseRequest: @unchecked Sendable {
  let raw: fuse_req_t

  /// The process that made the request: its ids decide whose identity goes to the master.
  var caller: (uid: uid_t, gid: gid_t, pid: pid_t, umask: mode_t) {
    let context = fuse_req_ctx(raw)!.pointee
    return (context.uid, context.gid, context.pid, context.umask)
  }

  func fail(_ errnoValue: Int32) { fuse_reply_err(raw, errnoValue) }

  func fail(_ error: any Error) { fuse_reply_err(raw, FuseErrno.code(for: error)) }

  func ok() { fuse_reply_err(raw, 0) }

  func reply(entry: FuseEntry) {
    var parameter = entry.parameter
    fuse_reply_entry(raw, &parameter)
  }

  /// "No such entry", cacheable by the kernel for `timeout` seconds (node 0 means negative).
  func reply(negativeEntryTimeout timeout: Double) {
    var parameter = fuse_entry_param()
    parameter.ino = 0
    parameter.entry_timeout = timeout
    fuse_reply_entry(raw, &parameter)
  }

  func reply(attributes: stat, timeout: Double) {
    var attributes = attributes
    fuse_reply_attr(raw, &attributes, timeout)
  }

  func reply(open handle: FuseOpenReply) {
    var info = handle.fileInfo
    fuse_reply_open(raw, &info)
  }

  func reply(create entry: FuseEntry, handle: FuseOpenReply) {
    var parameter = entry.parameter
    var info = handle.fileInfo
    fuse_reply_create(raw, &parameter, &info)
  }

  func reply(bytes buffer: ByteBuffer) {
    buffer.withUnsafeReadableBytes { bytes in
      _ = fuse_reply_buf(raw, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
    }
  }

  func reply(raw bytes: UnsafeRawBufferPointer) {
    _ = fuse_reply_buf(raw, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
  }

  /// `count` bytes of the file `fd` at `offset`: libfuse reads them (or splices them) into its
  /// reply, with no buffer of ours.
  func reply(descriptor fd: Int32, offset: Int64, count: Int) {
    var source = fuse_bufvec()
    source.count = 1
    source.buf = fuse_buf(
      size: count, flags: fuse_buf_flags(rawValue: FUSE_BUF_IS_FD.rawValue | FUSE_BUF_FD_SEEK.rawValue), mem: nil,
      fd: fd, pos: off_t(offset))
    _ = fuse_reply_data(raw, &source, fuse_buf_copy_flags(rawValue: 0))
  }

  func reply(written count: Int) { fuse_reply_write(raw, count) }

  func reply(statfs: statvfs) {
    var statfs = statfs
    fuse_reply_statfs(raw, &statfs)
  }
}

/// A lookup's answer: the node id the kernel will use and the attributes it may cache.
struct FuseEntry: Sendable {
  var node: UInt64
  var attributes: stat
  var attributeTimeout: Double
  var entryTimeout: Double

  var parameter: fuse_entry_param {
    var parameter = fuse_entry_param()
    parameter.ino = fuse_ino_t(node)
    parameter.generation = 1
    parameter.attr = attributes
    parameter.attr_timeout = attributeTimeout
    parameter.entry_timeout = entryTimeout
    return parameter
  }
}

/// What `open`/`create` tell the kernel about a handle.
struct FuseOpenReply: Sendable {
  var handle: UInt64
  var directIO: Bool
  var keepCache: Bool
  var flags: Int32

  var fileInfo: fuse_file_info {
    var info = fuse_file_info()
    info.flags = flags
    info.fh = handle
    info.direct_io = directIO ? 1 : 0
    info.keep_cache = keepCache ? 1 : 0
    return info
  }
}
