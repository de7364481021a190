// An in-memory mirror of one file for the scripted content checks: each mutation is done with
// real syscalls (open, write, close) and mirrored here, and `verify` compares the two.
import Glibc

/// A file under test plus the bytes it must contain; every mutation goes through syscalls
/// (open, write, close each time) and is mirrored in `model`.
struct ModelFile {
  let path: String
  let ex: Expectations
  var model: [UInt8] = []

  init(path: String, ex: Expectations) {
    self.path = path
    self.ex = ex
  }

  /// Mirror of pwrite: zero-fills any gap past the old end, then overwrites.
  mutating func apply(_ bytes: [UInt8], at offset: Int) {
    if offset + bytes.count > model.count {
      model += [UInt8](repeating: 0, count: offset + bytes.count - model.count)
    }
    model.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
  }

  private func withOpen(_ flags: Int32, _ what: String, _ body: (Int32) -> SyscallOutcome) -> Bool {
    let opened = Sys.open(path, flags, 0o644)
    guard case .success(let fd) = opened else {
      ex.fail("\(what): open failed with \(opened)")
      return false
    }
    let result = body(Int32(fd))
    let closed = Sys.close(Int32(fd))
    return ex.succeeds(result, what) && ex.succeeds(closed, "\(what): close")
  }

  mutating func replace(_ bytes: [UInt8], _ what: String) {
    if withOpen(O_WRONLY | O_CREAT | O_TRUNC, what, { fd in bytes.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: 0) } }) {
      model = bytes
    }
  }

  mutating func write(_ bytes: [UInt8], at offset: Int, _ what: String) {
    if withOpen(O_WRONLY, what, { fd in bytes.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: offset) } }) {
      apply(bytes, at: offset)
    }
  }

  mutating func append(_ bytes: [UInt8], _ what: String, seekToStartFirst: Bool = false) {
    let ok = withOpen(O_WRONLY | O_APPEND, what) { fd in
      if seekToStartFirst { _ = lseek(fd, 0, SEEK_SET) }
      return bytes.withUnsafeBytes { Sys.writeAll(fd, $0) }
    }
    if ok { model += bytes }
  }

  mutating func truncate(to size: Int, _ what: String) {
    if ex.succeeds(Sys.truncate(path, size), what) { resize(to: size) }
  }

  mutating func ftruncateThenWrite(size: Int, write bytes: [UInt8], at offset: Int) {
    var sizeSeen: Int = -1
    let ok = withOpen(O_RDWR, "ftruncate + write") { fd in
      let truncated = Sys.ftruncate(fd, size)
      if !truncated.succeeded { return truncated }
      let written = bytes.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: offset) }
      sizeSeen = Int(Sys.fstat(fd).1.st_size)
      return written
    }
    if ok {
      resize(to: size)
      apply(bytes, at: offset)
      ex.expect(sizeSeen == model.count, "fstat after ftruncate + write: size \(sizeSeen), expected \(model.count)")
    }
  }

  private mutating func resize(to size: Int) {
    if size < model.count {
      model.removeLast(model.count - size)
    } else {
      model += [UInt8](repeating: 0, count: size - model.count)
    }
  }

  /// lstat size and full contents must match the model.
  func verify(_ what: String) {
    let (outcome, info) = Sys.lstat(path)
    if !outcome.succeeded {
      ex.fail("\(what): lstat failed with \(outcome)")
      return
    }
    ex.expect(info.st_size == model.count, "\(what): st_size \(info.st_size), expected \(model.count)")
    ex.hasContents(path, model, what)
  }
}
