// The operations of the random tester, how they are drawn from the PRNG, and how one is applied
// to one root. The namespace is deliberately tiny (12 file paths, 3 directories) so that
// operations collide: renames replace files, rmdir meets non-empty directories, writes meet
// directories, paths go through files (ENOTDIR). Every such error path must match too.
import Glibc

enum RandomOperation: Sendable, CustomStringConvertible {
  /// open(O_WRONLY|O_CREAT|O_TRUNC), pwrite at 0, close.
  case createWrite(path: String, length: Int, dataSeed: UInt64)
  /// open(O_WRONLY[|O_CREAT]), pwrite at `offset` (may be past EOF, leaving a hole), close.
  case overwrite(path: String, create: Bool, offset: Int, length: Int, dataSeed: UInt64)
  /// open(O_WRONLY|O_APPEND[|O_CREAT]), write, close.
  case append(path: String, create: Bool, length: Int, dataSeed: UInt64)
  /// truncate(path, size): grow or shrink by name.
  case truncate(path: String, size: Int)
  /// open(O_RDWR), ftruncate, fstat (size as seen through the descriptor), close.
  case ftruncate(path: String, size: Int)
  /// `shape` is only how the names were drawn (file names, directory names, any), kept so
  /// the coverage counts can tell file renames from directory renames.
  case rename(from: String, to: String, shape: RenameShape)
  case unlink(path: String)
  case mkdir(path: String)
  case rmdir(path: String)
  /// open(O_RDONLY), pread of a range (may start past EOF), close.
  case read(path: String, offset: Int, length: Int)
  /// open of a name that is never created: ENOENT (or ENOTDIR when the parent is a file).
  case openMissing(path: String, flags: Int32)

  enum RenameShape: String, Sendable {
    case files, directories, mixed
  }

  // MARK: Namespace

  static let directories = ["d0", "d1", "d0/d2"]
  static let fileParents = [""] + directories
  static let fileNames = ["f0", "f1", "f2"]
  /// 4 parents x 3 names = 12 file paths.
  static let files = fileParents.flatMap { parent in
    fileNames.map { parent.isEmpty ? $0 : parent + "/" + $0 }
  }

  // MARK: Description

  var kind: String {
    switch self {
    case .createWrite: return "createWrite"
    case .overwrite: return "overwrite"
    case .append: return "append"
    case .truncate: return "truncate"
    case .ftruncate: return "ftruncate"
    case .rename(_, _, let shape): return "rename(\(shape.rawValue))"
    case .unlink: return "unlink"
    case .mkdir: return "mkdir"
    case .rmdir: return "rmdir"
    case .read: return "read"
    case .openMissing: return "openMissing"
    }
  }

  var description: String {
    switch self {
    case .createWrite(let path, let length, _):
      return "createWrite \(path) length \(length)"
    case .overwrite(let path, let create, let offset, let length, _):
      return "overwrite\(create ? "(O_CREAT)" : "") \(path) offset \(offset) length \(length)"
    case .append(let path, let create, let length, _):
      return "append\(create ? "(O_CREAT)" : "") \(path) length \(length)"
    case .truncate(let path, let size):
      return "truncate \(path) to \(size)"
    case .ftruncate(let path, let size):
      return "ftruncate \(path) to \(size)"
    case .rename(let from, let to, _):
      return "rename \(from) -> \(to)"
    case .unlink(let path):
      return "unlink \(path)"
    case .mkdir(let path):
      return "mkdir \(path)"
    case .rmdir(let path):
      return "rmdir \(path)"
    case .read(let path, let offset, let length):
      return "read \(path) offset \(offset) length \(length)"
    case .openMissing(let path, let flags):
      return "open missing \(path) \(flags & O_ACCMODE == O_RDONLY ? "O_RDONLY" : "O_WRONLY")"
    }
  }

  /// Paths whose state is compared after the operation (their parents' listings are compared too).
  var touchedPaths: [String] {
    switch self {
    case .createWrite(let path, _, _), .overwrite(let path, _, _, _, _), .append(let path, _, _, _),
      .truncate(let path, _), .ftruncate(let path, _), .unlink(let path), .mkdir(let path),
      .rmdir(let path), .read(let path, _, _), .openMissing(let path, _):
      return [path]
    case .rename(let from, let to, _):
      return [from, to]
    }
  }

  /// The bytes a write operation writes; empty for the others. Derived from the operation alone
  /// so both sides get identical data.
  var payload: [UInt8] {
    switch self {
    case .createWrite(_, let length, let seed), .append(_, _, let length, let seed):
      return DataPattern.bytes(count: length, seed: seed)
    case .overwrite(_, _, let offset, let length, let seed):
      return DataPattern.bytes(count: length, seed: seed, offset: offset)
    default:
      return []
    }
  }

  // MARK: Generation

  /// Draws the next operation. Offsets and sizes are scaled to the current size of the file in
  /// the reference tree, which is itself fully determined by the seed, so the sequence is too.
  static func draw(_ rng: inout SplitMix64, reference: String) -> RandomOperation {
    func currentSize(_ path: String) -> Int {
      let (outcome, info) = Sys.lstat(FileTree.join(reference, path))
      return outcome.succeeded && FileKind(mode: info.st_mode) == .regular ? Int(info.st_size) : 0
    }
    // What exists in the reference now, sorted (dictionary order is not deterministic).
    // Drawing some paths from here lets the tree drain again: files that directory renames
    // carried below other names get unlinked, and those directories emptied and removed.
    let tree = (try? FileTree.walk(reference)) ?? [:]
    let existingFiles = tree.filter { $0.value.kind == .regular }.keys.sorted()
    let existingDirectories = tree.filter { $0.value.kind == .directory }.keys.sorted()
    func file(existing chance: Int) -> String {
      !existingFiles.isEmpty && rng.percent(chance) ? rng.pick(existingFiles) : rng.pick(files)
    }
    func directory(existing chance: Int) -> String {
      !existingDirectories.isEmpty && rng.percent(chance) ? rng.pick(existingDirectories) : rng.pick(directories)
    }

    let roll = rng.below(100)
    switch roll {
    case 0..<14:
      return .createWrite(path: file(existing: 10), length: dataLength(&rng), dataSeed: rng.next())
    case 14..<26:
      let path = file(existing: 20)
      let size = currentSize(path)
      let offset = writeOffset(&rng, currentSize: size)
      // Keep files below ~8 MiB so per-step content comparison stays cheap.
      let length = size > 6 << 20 ? min(dataLength(&rng), 64 << 10) : dataLength(&rng)
      return .overwrite(path: path, create: rng.percent(25), offset: offset, length: length, dataSeed: rng.next())
    case 26..<36:
      let path = file(existing: 20)
      let length = currentSize(path) > 6 << 20 ? min(dataLength(&rng), 64 << 10) : dataLength(&rng)
      return .append(path: path, create: rng.percent(40), length: length, dataSeed: rng.next())
    case 36..<43:
      let path = file(existing: 20)
      return .truncate(path: path, size: truncateSize(&rng, currentSize: currentSize(path)))
    case 43..<49:
      let path = file(existing: 20)
      return .ftruncate(path: path, size: truncateSize(&rng, currentSize: currentSize(path)))
    case 49..<61:
      // Mostly file renames (new name, replacing a file, between directories); some directory
      // renames (onto an empty directory, ENOTEMPTY, EINVAL into its own subdirectory); some
      // mixed (EISDIR, ENOTDIR).
      let shape = rng.below(10)
      if shape < 6 { return .rename(from: file(existing: 40), to: rng.pick(files), shape: .files) }
      if shape < 8 {
        return .rename(from: directory(existing: 40), to: rng.pick(directories), shape: .directories)
      }
      let everything = files + directories
      return .rename(from: rng.pick(everything), to: rng.pick(everything), shape: .mixed)
    case 61..<69:
      // Mostly files; sometimes a directory (EISDIR).
      return .unlink(path: rng.percent(85) ? file(existing: 50) : rng.pick(directories))
    case 69..<76:
      return .mkdir(path: rng.percent(90) ? rng.pick(directories) : rng.pick(files))
    case 76..<83:
      // Sometimes a file name: ENOTDIR, or removes a directory an earlier rename put there.
      return .rmdir(path: rng.percent(80) ? directory(existing: 50) : rng.pick(files))
    case 83..<97:
      let path = file(existing: 20)
      let size = currentSize(path)
      let offset = rng.below(size + 8192 + 1)
      let length = rng.percent(85) ? rng.inRange(1...(64 << 10)) : rng.inRange((64 << 10)...(2 << 20))
      return .read(path: path, offset: offset, length: length)
    default:
      let parent = rng.pick(fileParents)
      let name = parent.isEmpty ? "missing" : parent + "/missing"
      return .openMissing(path: name, flags: rng.percent(50) ? O_RDONLY : O_WRONLY)
    }
  }

  /// Mostly small writes; about 6% between just under 1 MiB and 3 MiB, which the kernel must
  /// split across several FUSE write requests.
  private static func dataLength(_ rng: inout SplitMix64) -> Int {
    let roll = rng.below(100)
    if roll < 5 { return 0 }
    if roll < 55 { return rng.inRange(1...4096) }
    if roll < 94 { return rng.inRange(4097...(64 << 10)) }
    return rng.inRange(((1 << 20) - 4096)...(3 << 20))
  }

  private static func writeOffset(_ rng: inout SplitMix64, currentSize: Int) -> Int {
    let roll = rng.below(100)
    if roll < 55 { return rng.below(currentSize + 1) }  // inside the file or exactly at EOF
    if roll < 85 { return currentSize + rng.inRange(1...(64 << 10)) }  // past EOF: leaves a hole
    if roll < 93 { return rng.inRange(((1 << 20) - 8192)...((1 << 20) + 8192)) }  // around 1 MiB
    return rng.below(3 << 20)
  }

  private static func truncateSize(_ rng: inout SplitMix64, currentSize: Int) -> Int {
    let roll = rng.below(100)
    if roll < 10 { return 0 }
    if roll < 45 { return rng.below(currentSize + 1) }  // shrink (or same size)
    if roll < 80 { return currentSize + rng.inRange(1...(64 << 10)) }  // grow: zeros must appear
    if roll < 90 { return rng.inRange(((1 << 20) - 8192)...((1 << 20) + 8192)) }
    return rng.below(3 << 20)
  }

  // MARK: Execution

  /// One syscall as one side saw it.
  struct Call: Equatable, Sendable, CustomStringConvertible {
    var label: String
    var outcome: SyscallOutcome

    var description: String { "\(label)=\(outcome)" }
  }

  /// What one side observed: each syscall's outcome in order and the bytes a read returned.
  /// A successful open is recorded as ok(0): descriptor numbers legitimately differ.
  struct Observation: Equatable, Sendable {
    var calls: [Call] = []
    var data: [UInt8] = []

    /// "ok", or the errno name of the first failing call; used for the coverage counts.
    var summary: String {
      calls.first(where: { !$0.outcome.succeeded }).map { ErrnoName.of($0.outcome.errorCode!) } ?? "ok"
    }

    var callsDescription: String {
      calls.map(\.description).joined(separator: " ")
    }
  }

  /// Runs the operation below `root` with plain syscalls. Each write path opens, writes and
  /// closes, so the close (where a FUSE daemon commits) is part of every step.
  func apply(root: String, payload: [UInt8]) -> Observation {
    var observation = Observation()
    func note(_ label: String, _ outcome: SyscallOutcome) {
      observation.calls.append(Call(label: label, outcome: outcome))
    }
    /// Opens and records; nil (after recording the errno) when the open failed.
    func openFile(_ path: String, _ flags: Int32) -> Int32? {
      let outcome = Sys.open(FileTree.join(root, path), flags, 0o644)
      guard case .success(let fd) = outcome else {
        note("open", outcome)
        return nil
      }
      note("open", .success(0))
      return Int32(fd)
    }

    switch self {
    case .createWrite(let path, _, _):
      guard let fd = openFile(path, O_WRONLY | O_CREAT | O_TRUNC) else { break }
      note("pwrite", payload.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: 0) })
      note("close", Sys.close(fd))
    case .overwrite(let path, let create, let offset, _, _):
      guard let fd = openFile(path, O_WRONLY | (create ? O_CREAT : 0)) else { break }
      note("pwrite", payload.withUnsafeBytes { Sys.pwriteAll(fd, $0, offset: offset) })
      note("close", Sys.close(fd))
    case .append(let path, let create, _, _):
      guard let fd = openFile(path, O_WRONLY | O_APPEND | (create ? O_CREAT : 0)) else { break }
      // write(), not pwrite(): on Linux pwrite ignores its offset under O_APPEND anyway, and
      // write() is what shells and loggers use.
      note("write", payload.withUnsafeBytes { Sys.writeAll(fd, $0) })
      note("close", Sys.close(fd))
    case .truncate(let path, let size):
      note("truncate", Sys.truncate(FileTree.join(root, path), size))
    case .ftruncate(let path, let size):
      guard let fd = openFile(path, O_RDWR) else { break }
      note("ftruncate", Sys.ftruncate(fd, size))
      let (outcome, info) = Sys.fstat(fd)
      note("fstat.size", outcome.succeeded ? .success(Int(info.st_size)) : outcome)
      note("close", Sys.close(fd))
    case .rename(let from, let to, _):
      note("rename", Sys.rename(FileTree.join(root, from), FileTree.join(root, to)))
    case .unlink(let path):
      note("unlink", Sys.unlink(FileTree.join(root, path)))
    case .mkdir(let path):
      note("mkdir", Sys.mkdir(FileTree.join(root, path), 0o755))
    case .rmdir(let path):
      note("rmdir", Sys.rmdir(FileTree.join(root, path)))
    case .read(let path, let offset, let length):
      guard let fd = openFile(path, O_RDONLY) else { break }
      switch Sys.pread(fd, count: length, offset: offset) {
      case .success(let bytes):
        note("pread", .success(bytes.count))
        observation.data = bytes
      case .failure(let error):
        note("pread", .failure(error.code))
      }
      note("close", Sys.close(fd))
    case .openMissing(let path, let flags):
      if let fd = openFile(path, flags) { note("close", Sys.close(fd)) }
    }
    return observation
  }
}
