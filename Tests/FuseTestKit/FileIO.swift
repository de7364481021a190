// Whole-file helpers for the small files of the checks (kilobytes to a few MiB). Large files are
// streamed chunk by chunk elsewhere and never go through these.
import Glibc

/// Whole file through open/read; for the small files of the content checks.
public func readWholeFile(_ path: String) -> Result<[UInt8], PosixError> {
  let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
  if fd < 0 { return .failure(PosixError("open", path, errno)) }
  defer { _ = Glibc.close(fd) }
  var result: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 20)
  while true {
    let outcome = chunk.withUnsafeMutableBytes { Sys.readFully(fd, $0) }
    guard case .success(let n) = outcome else { return .failure(PosixError("read", path, outcome.errorCode!)) }
    result.append(contentsOf: chunk[0..<n])
    if n < chunk.count { return .success(result) }
  }
}

/// Writes `bytes` to `path` with the given open flags and closes; throws on any failure.
public func writeFile(_ path: String, _ bytes: [UInt8], flags: Int32 = O_WRONLY | O_CREAT | O_TRUNC, mode: mode_t = 0o644)
  throws(PosixError)
{
  let opened = Sys.open(path, flags, mode)
  guard case .success(let fd) = opened else { throw PosixError("open", path, opened.errorCode!) }
  let fd32 = Int32(fd)
  let written = bytes.withUnsafeBytes { Sys.writeAll(fd32, $0) }
  let closed = Sys.close(fd32)
  if let code = written.errorCode { throw PosixError("write", path, code) }
  if let code = closed.errorCode { throw PosixError("close", path, code) }
}

/// Index of the first byte where the arrays differ within their common length.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
  for index in 0..<min(a.count, b.count) where a[index] != b[index] {
    return index
  }
  return nil
}
